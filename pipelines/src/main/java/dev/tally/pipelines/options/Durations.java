package dev.tally.pipelines.options;

import dev.tally.pipelines.UserError;
import java.time.format.DateTimeParseException;
import org.joda.time.Duration;

/** Reads the ISO-8601 duration flags into Beam's duration type, naming the flag when one is wrong. */
public final class Durations {
  private Durations() {}

  /** Parses {@code text}; null or empty gives null. */
  public static Duration parse(String flag, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Duration.millis(java.time.Duration.parse(text).toMillis());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new UserError(
          "--" + flag + "=" + text + " is not an ISO-8601 duration: write e.g. PT1H, PT15M or P1D");
    }
  }
}
