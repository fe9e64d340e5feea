package dev.tally.pipelines.report;

import java.time.Instant;

/**
 * One dead letter shown in a report. {@code raw} is at most {@link #MAX_RAW_CHARS} characters (a
 * {@code record_too_large} line can be megabytes); {@code rawLength} is the length of the whole record.
 */
public record DeadLetterExample(
    String reason, String raw, int rawLength, String source, String stage, String message, Instant failedAt) {
  public static final int MAX_RAW_CHARS = 500;

  /** An example of {@code raw}, cut to {@link #MAX_RAW_CHARS} characters (never inside a surrogate pair). */
  public static DeadLetterExample of(
      String reason, String raw, String source, String stage, String message, Instant failedAt) {
    return new DeadLetterExample(reason, shortened(raw), raw.length(), source, stage, message, failedAt);
  }

  /** True when {@link #raw} is only the beginning of the record. */
  public boolean shortened() {
    return raw.length() < rawLength;
  }

  static String shortened(String raw) {
    if (raw.length() <= MAX_RAW_CHARS) {
      return raw;
    }
    int end = Character.isHighSurrogate(raw.charAt(MAX_RAW_CHARS - 1)) ? MAX_RAW_CHARS - 1 : MAX_RAW_CHARS;
    return raw.substring(0, end);
  }
}
