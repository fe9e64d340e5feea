package dev.tally.generator;

import java.util.SplittableRandom;

/**
 * Draws numbers 1..count with Zipf-like popularity (users, products, merchants): popularity ranks are mapped to
 * shuffled numbers, so which users are the heavy ones changes with the seed while the shape does not.
 */
final class PopularNumbers {
  private final Distribution ranks;
  /** Element r is the number of popularity rank r; null when every number is equally popular. */
  private final int[] numberByRank;

  /** @param catalog the seeded stream the rank-to-number shuffle is drawn from, once, at construction */
  PopularNumbers(int count, double skew, SplittableRandom catalog) {
    this.ranks = Distribution.zipf(count, skew);
    this.numberByRank = skew == 0 ? null : shuffledNumbers(count, catalog);
  }

  int count() {
    return ranks.size();
  }

  /** A number in 1..count. */
  int pick(SplittableRandom random) {
    int rank = ranks.pick(random);
    return numberByRank == null ? rank + 1 : numberByRank[rank];
  }

  private static int[] shuffledNumbers(int count, SplittableRandom random) {
    int[] numbers = new int[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = i + 1;
    }
    for (int i = count - 1; i > 0; i--) {
      int other = random.nextInt(i + 1);
      int swap = numbers[i];
      numbers[i] = numbers[other];
      numbers[other] = swap;
    }
    return numbers;
  }
}
