package dev.tally.runners.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Whether a quantity sampled over a soak grew: a statistic of its samples in the first third against the same in
 * the last third. It grew only if the last third's figure exceeds the first's by more than both a ratio and an
 * absolute margin, so that a steady but noisy series (micro-batches, a heap's saw-tooth) is not called growing.
 *
 * @param first the statistic over the first third of the samples
 * @param last the statistic over the last third
 * @param grew whether it grew beyond both margins
 */
record GrowthVerdict(double first, double last, boolean grew) {
  /** Fewer samples than this cannot be split into thirds. */
  static final int MIN_SAMPLES = 3;

  /** The mean of a third: for a series that fluctuates around its level, such as the lag. */
  static final ToDoubleFunction<List<Double>> MEAN =
      values -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();

  /** The lowest value of a third: for a saw-tooth such as used heap, whose troughs are what survives collection. */
  static final ToDoubleFunction<List<Double>> LOWEST =
      values -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();

  /**
   * @param values the samples in time order, at least {@link #MIN_SAMPLES}
   * @param statistic what summarises a third
   * @param ratio it grew only if last > first * ratio ...
   * @param margin ... and last - first > margin
   */
  static GrowthVerdict of(List<Double> values, ToDoubleFunction<List<Double>> statistic, double ratio,
      double margin) {
    if (values.size() < MIN_SAMPLES) {
      throw new IllegalArgumentException("need at least " + MIN_SAMPLES + " samples, got " + values.size());
    }
    int third = values.size() / 3;
    double first = statistic.applyAsDouble(values.subList(0, third));
    double last = statistic.applyAsDouble(values.subList(values.size() - third, values.size()));
    return new GrowthVerdict(first, last, last > first * ratio && last - first > margin);
  }

  /** {@code 1,234 in the first third, 1,456 in the last: steady}, figures formatted by {@code format}. */
  String describe(String format) {
    return String.format(Locale.ROOT, format + " in the first third, " + format + " in the last: %s", first, last,
        grew ? "GREW" : "steady");
  }
}
