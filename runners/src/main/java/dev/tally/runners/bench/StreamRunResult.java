package dev.tally.runners.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one stream benchmark run at one rate measured. Rates and latencies cover the steady part: from the end of
 * the warm-up until sending stopped.
 *
 * @param askedRate events/s asked for
 * @param warmUpEvents events sent before the measured phase, until the pipeline had stored one
 * @param sent events sent in the measured phase (all acknowledged by Kafka)
 * @param stored rows of the measured phase in user_events after the drain
 * @param sentRate events/s sent over the steady part
 * @param storedRate rows/s stored over the steady part
 * @param latency event-to-row latency of the events sent in the steady part
 * @param lagAtEnd events sent but not yet stored when sending stopped
 * @param lag {@code [second, lag]} over the run, sending and drain
 * @param drainSeconds from the end of sending until the last row was stored
 * @param verdict sustained or not, and why
 * @param failure what went wrong (the pipeline died, never started), or null
 */
public record StreamRunResult(
    double askedRate,
    long warmUpEvents,
    long sent,
    long stored,
    double sentRate,
    double storedRate,
    StreamBenchDatabase.Latency latency,
    long lagAtEnd,
    List<long[]> lag,
    double drainSeconds,
    SustainedRule.Verdict verdict,
    String failure) {

  /** A run that measured nothing. */
  static StreamRunResult failed(double askedRate, long warmUpEvents, long sent, long stored, String failure) {
    return new StreamRunResult(askedRate, warmUpEvents, sent, stored, Double.NaN, Double.NaN,
        new StreamBenchDatabase.Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN), sent - stored, List.of(),
        Double.NaN, new SustainedRule.Verdict(false, "failed"), failure);
  }

  /** Every event sent was stored, once (the table's primary key makes more impossible). */
  public boolean allStored() {
    return failure == null && stored == sent;
  }

  /** The table row: rate, sent/s, stored/s, p50, p95, p99, lag at end, drain, sent = stored, sustained. */
  String[] row() {
    return new String[] {
      number(askedRate),
      number(sentRate),
      number(storedRate),
      millis(latency.p50()),
      millis(latency.p95()),
      millis(latency.p99()),
      String.format(Locale.ROOT, "%,d", lagAtEnd),
      Double.isNaN(drainSeconds) ? "" : String.format(Locale.ROOT, "%.1f s", drainSeconds),
      String.format(Locale.ROOT, "%,d / %,d", stored, sent) + (allStored() ? " yes" : " NO"),
      verdict.cell(),
    };
  }

  static final String[] HEADER = {
    "rate asked", "sent/s", "stored/s", "p50", "p95", "p99", "lag at end", "drain", "stored / sent", "sustained"
  };

  /** The lag over time on one line: {@code 0 s: 0, 10 s: 1,234, ...}. */
  String lagLine() {
    StringBuilder line = new StringBuilder();
    for (long[] point : lag) {
      if (line.length() > 0) {
        line.append(", ");
      }
      line.append(String.format(Locale.ROOT, "%d s: %,d", point[0], point[1]));
    }
    return line.toString();
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String millis(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%,.0f ms", value);
  }
}
