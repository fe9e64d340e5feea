package dev.tally.runners.bench;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Which rate a stream benchmark runs next: a fixed list, or a search for the highest sustained rate that doubles
 * the rate from a start until a run is not sustained, then tries the midpoint between the highest sustained and
 * the lowest unsustained rate {@code refinements} times (rounded to 100 events/s).
 */
public final class RateSteps {
  private final List<Double> fixed;
  private final double start;
  private final double maxRate;
  private final int refinements;
  /** rate -> sustained, of the runs so far. */
  private final NavigableMap<Double, Boolean> results = new TreeMap<>();
  private int runs;
  private int refined;

  private RateSteps(List<Double> fixed, double start, double maxRate, int refinements) {
    this.fixed = fixed;
    this.start = start;
    this.maxRate = maxRate;
    this.refinements = refinements;
  }

  /** Each of {@code rates}, in order. */
  public static RateSteps of(List<Double> rates) {
    return new RateSteps(List.copyOf(rates), 0, 0, 0);
  }

  /** The search from {@code start}, never above {@code maxRate}. */
  public static RateSteps findMax(double start, double maxRate, int refinements) {
    return new RateSteps(null, start, maxRate, refinements);
  }

  /** Records the outcome of a run at {@code rate}. */
  public void record(double rate, boolean sustained) {
    runs++;
    results.merge(rate, sustained, Boolean::logicalAnd);
  }

  /** The next rate to run, or empty when done. */
  public OptionalDouble next() {
    if (fixed != null) {
      return runs < fixed.size() ? OptionalDouble.of(fixed.get(runs)) : OptionalDouble.empty();
    }
    if (results.isEmpty()) {
      return OptionalDouble.of(start);
    }
    OptionalDouble best = highestSustained();
    OptionalDouble failed = lowestFailed();
    if (failed.isEmpty()) {
      double doubled = results.lastKey() * 2;
      return doubled <= maxRate ? OptionalDouble.of(doubled) : OptionalDouble.empty();
    }
    if (best.isEmpty() || refined >= refinements) {
      return OptionalDouble.empty();
    }
    double middle = Math.round((best.getAsDouble() + failed.getAsDouble()) / 200) * 100.0;
    if (middle <= best.getAsDouble() || middle >= failed.getAsDouble()) {
      return OptionalDouble.empty();
    }
    refined++;
    return OptionalDouble.of(middle);
  }

  /**
   * The highest rate sustained below every unsustained one (a sustained run above a failed one is noise, not a
   * capacity), or empty if none.
   */
  public OptionalDouble highestSustained() {
    return results.headMap(lowestFailed().orElse(Double.MAX_VALUE), false).entrySet().stream()
        .filter(Map.Entry::getValue)
        .mapToDouble(Map.Entry::getKey)
        .max();
  }

  private OptionalDouble lowestFailed() {
    return results.entrySet().stream().filter(run -> !run.getValue()).mapToDouble(Map.Entry::getKey).min();
  }
}
