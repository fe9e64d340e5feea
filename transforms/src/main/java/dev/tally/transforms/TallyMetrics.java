package dev.tally.transforms;

import dev.tally.model.ReasonCode;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/** Names of the Beam counters Tally's transforms report, so runners' metric UIs and summaries agree. */
public final class TallyMetrics {
  public static final String NAMESPACE = "tally";
  public static final String READ = "read";
  public static final String VALID = "valid";
  public static final String DUPLICATES = "duplicates";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String COUNT_ROWS = "count_rows";

  private TallyMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  /** One counter per reason, e.g. {@code dead_letters.invalid_timestamp}. */
  public static String deadLettersFor(ReasonCode reason) {
    return DEAD_LETTERS + "." + reason.code();
  }
}
