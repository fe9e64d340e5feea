package dev.tally.schema;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * How a timestamp field is written: an ISO-8601 instant ({@code 2026-11-23T10:15:30.123Z}), epoch milliseconds,
 * epoch seconds, or a {@link DateTimeFormatter} pattern read in a zone (e.g. {@code uuuu-MM-dd HH:mm:ss 'UTC'} in
 * UTC for REES46). Patterns are resolved strictly, so 2019-02-30 is invalid rather than quietly moved.
 */
public final class TimestampFormat implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The schema-file spellings of the fixed formats. */
  public static final String ISO = "iso8601";
  public static final String EPOCH_MILLIS = "epoch_millis";
  public static final String EPOCH_SECONDS = "epoch_seconds";

  // ISO output as the generator has always written it: milliseconds, always three digits, 'Z'.
  private static final DateTimeFormatter ISO_OUTPUT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

  private final String kind;
  private final String pattern;
  private final String zone;
  private transient DateTimeFormatter formatter;

  private TimestampFormat(String kind, String pattern, String zone) {
    this.kind = kind;
    this.pattern = pattern;
    this.zone = zone;
  }

  public static TimestampFormat iso() {
    return new TimestampFormat(ISO, null, null);
  }

  public static TimestampFormat epochMillis() {
    return new TimestampFormat(EPOCH_MILLIS, null, null);
  }

  public static TimestampFormat epochSeconds() {
    return new TimestampFormat(EPOCH_SECONDS, null, null);
  }

  /**
   * A pattern read in a zone. Throws IllegalArgumentException when the pattern is not a valid
   * DateTimeFormatter pattern, the zone is unknown, or a formatted instant does not parse back to itself (e.g. a
   * pattern without the day, or {@code yyyy}, which strict resolution cannot use without an era: use {@code uuuu}).
   */
  public static TimestampFormat pattern(String pattern, String zone) {
    TimestampFormat format = new TimestampFormat("pattern", pattern, zone);
    DateTimeFormatter formatter;
    try {
      formatter = format.formatter();
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new IllegalArgumentException("pattern '" + pattern + "' in zone '" + zone + "' is not usable: "
          + e.getMessage());
    }
    // Whole minutes, so minute-precision exports (uuuu-MM-dd HH:mm) are usable; a pattern with seconds reads it too.
    Instant probe = Instant.parse("2019-10-01T13:45:00Z");
    try {
      Instant back = formatter.parse(formatter.format(probe), Instant::from);
      if (!back.equals(probe)) {
        throw new DateTimeException("2019-10-01T13:45:00Z reads back as " + back);
      }
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("pattern '" + pattern + "' does not read back the instants it writes ("
          + e.getMessage() + "); it needs year (uuuu, not yyyy), month, day, hour and minute");
    }
    return format;
  }

  /** Parses a field text; throws DateTimeException or NumberFormatException when it is not such a timestamp. */
  public Instant parse(String text) {
    switch (kind) {
      case ISO:
        return Instant.parse(text);
      case EPOCH_MILLIS:
        return Instant.ofEpochMilli(Long.parseLong(text));
      case EPOCH_SECONDS:
        // Whole or fractional seconds, e.g. 1569888000 or 1569888000.25.
        BigDecimal seconds = new BigDecimal(text);
        if (seconds.scale() > 9) {
          throw new NumberFormatException("more than nanosecond precision");
        }
        // Before setScale, which would compute all the digits of an exponent like 1e100000000 (minutes of CPU).
        if (seconds.precision() - (long) seconds.scale() > 19) {
          throw new NumberFormatException("more than 19 integer digits");
        }
        long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValueExact();
        return Instant.ofEpochSecond(whole, nanos);
      default:
        return formatter().parse(text, Instant::from);
    }
  }

  /** Writes an instant as this format does (the generator's output); parse(format(t)) may truncate t. */
  public String format(Instant time) {
    switch (kind) {
      case ISO:
        return ISO_OUTPUT.format(time);
      case EPOCH_MILLIS:
        return Long.toString(time.toEpochMilli());
      case EPOCH_SECONDS:
        return Long.toString(time.getEpochSecond());
      default:
        return formatter().format(time);
    }
  }

  /** For messages: what a value should look like. */
  public String describe() {
    switch (kind) {
      case ISO:
        return "an ISO-8601 instant like 2026-11-23T10:15:30.123Z";
      case EPOCH_MILLIS:
        return "epoch milliseconds like 1764022530123";
      case EPOCH_SECONDS:
        return "epoch seconds like 1764022530";
      default:
        return "a timestamp like '" + format(Instant.parse("2026-11-23T10:15:30Z")) + "' (pattern " + pattern
            + ", zone " + zone + ")";
    }
  }

  private DateTimeFormatter formatter() {
    if (formatter == null) {
      formatter =
          DateTimeFormatter.ofPattern(pattern, Locale.ROOT)
              .withResolverStyle(ResolverStyle.STRICT)
              .withZone(ZoneId.of(zone));
    }
    return formatter;
  }
}
