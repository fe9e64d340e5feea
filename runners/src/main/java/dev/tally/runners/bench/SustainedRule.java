package dev.tally.runners.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * When a stream benchmark run counts as sustained: the pipeline kept up with the input. All of
 *
 * <ol>
 *   <li>the producer really sent at the asked rate (at least {@code minShare} of it over the steady part; else the
 *       run says nothing about the pipeline);
 *   <li>rows were stored at least at {@code minShare} of the rate events were sent over the steady part (the lag
 *       did not grow faster than that);
 *   <li>the lag when sending stopped (events sent but not yet stored) was at most {@code maxLag} worth of input at
 *       the asked rate;
 *   <li>every sent event was stored in the end.
 * </ol>
 *
 * @param minShare e.g. 0.95
 * @param maxLag e.g. 5 s: at 10,000 events/s, at most 50,000 events not yet stored when sending stops
 */
public record SustainedRule(double minShare, Duration maxLag) {
  public static final SustainedRule DEFAULT = new SustainedRule(0.95, Duration.ofSeconds(5));

  public SustainedRule {
    if (!(minShare > 0 && minShare <= 1)) {
      throw new IllegalArgumentException("minShare must be in (0, 1], got " + minShare);
    }
    if (maxLag.isNegative()) {
      throw new IllegalArgumentException("the lag limit must not be negative, got " + maxLag);
    }
  }

  /** Whether a run was sustained, and if not the first reason why. */
  public record Verdict(boolean sustained, String reason) {
    public String cell() {
      return sustained ? "yes" : "no: " + reason;
    }
  }

  /**
   * @param askedRate events/s asked for
   * @param sentRate events/s sent over the steady part
   * @param storedRate rows/s stored over the steady part
   * @param lagAtEnd events sent but not stored when sending stopped
   * @param allStored whether every sent event was stored after the drain
   */
  public Verdict decide(double askedRate, double sentRate, double storedRate, long lagAtEnd, boolean allStored) {
    if (sentRate < minShare * askedRate) {
      return new Verdict(false, String.format(Locale.ROOT, "the producer sent only %,.0f/s", sentRate));
    }
    if (storedRate < minShare * sentRate) {
      return new Verdict(false, String.format(Locale.ROOT, "stored %.0f%% of the sent rate", 100 * storedRate / sentRate));
    }
    double lagLimit = askedRate * maxLag.toMillis() / 1000.0;
    if (lagAtEnd > lagLimit) {
      return new Verdict(false, String.format(Locale.ROOT, "lag %,d > %,.0f (%s of input)", lagAtEnd, lagLimit,
          maxLag.toString().substring(2).toLowerCase(Locale.ROOT)));
    }
    if (!allStored) {
      return new Verdict(false, "not every event was stored");
    }
    return new Verdict(true, "");
  }
}
