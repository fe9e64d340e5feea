package dev.tally.generator;

import java.util.SplittableRandom;

/**
 * Draws an index in {@code [0, size)} with fixed relative weights: from explicit weights (an event-type mix, a
 * field's {@code generate.weights}) or Zipf-like popularity (users, products). A uniform distribution keeps no
 * table, so a large uniform range costs no memory.
 */
final class Distribution {
  private final int size;
  /** Cumulative shares, the last exactly 1; null for uniform. */
  private final double[] cdf;

  private Distribution(int size, double[] cdf) {
    this.size = size;
    this.cdf = cdf;
  }

  static Distribution uniform(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a distribution needs at least one value, got " + size);
    }
    return new Distribution(size, null);
  }

  /** Index i with weight proportional to {@code weights[i]} (all positive). */
  static Distribution weighted(double... weights) {
    double[] cdf = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      cdf[i] = sum;
    }
    for (int i = 0; i < cdf.length; i++) {
      cdf[i] /= sum;
    }
    cdf[cdf.length - 1] = 1.0;
    return new Distribution(weights.length, cdf);
  }

  /** Rank r (0-based) with weight {@code (r + 1)^-skew}: a few popular ranks, a long tail; skew 0 is uniform. */
  static Distribution zipf(int size, double skew) {
    if (skew == 0) {
      return uniform(size);
    }
    double[] weights = new double[size];
    for (int rank = 0; rank < size; rank++) {
      weights[rank] = Math.pow(rank + 1, -skew);
    }
    return weighted(weights);
  }

  int size() {
    return size;
  }

  /** One draw: one {@code nextDouble} or {@code nextInt} of {@code random}. */
  int pick(SplittableRandom random) {
    if (cdf == null) {
      return random.nextInt(size);
    }
    double draw = random.nextDouble();
    int low = 0;
    int high = cdf.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cdf[mid] > draw) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
}
