package dev.tally.schema;

import dev.tally.model.ReasonCode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One field of a schema: its name (CSV header name and JSON key), type, whether it is required, and its
 * constraints. {@link #canonical} checks a text against all of that and returns the one canonical text the
 * sinks store, so every runner and sink sees the same value.
 *
 * @param values the allowed texts: required for enum, optional for string
 * @param pattern a regular expression a string must match in full, or null
 * @param min smallest allowed number (long, decimal), or null
 * @param max largest allowed number (long, decimal), or null
 * @param precision decimal: most significant digits (default 18)
 * @param scale decimal: most decimal places (default 4)
 * @param timestamp how a timestamp is written; null for other types
 * @param requiredFor Tally event types for which this optional field must be present (e.g. a purchase's price)
 */
public record FieldSpec(
    String name,
    FieldType type,
    boolean required,
    List<String> values,
    Pattern pattern,
    BigDecimal min,
    BigDecimal max,
    int precision,
    int scale,
    TimestampFormat timestamp,
    List<String> requiredFor,
    FieldGeneration generate)
    implements Serializable {

  public static final int DEFAULT_PRECISION = 18;
  public static final int DEFAULT_SCALE = 4;

  // Beam timestamps and Parquet timestamp-micros cannot hold every Instant; four-digit years fit both.
  private static final Instant EARLIEST_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST_TIME_EXCLUSIVE = Instant.parse("+10000-01-01T00:00:00Z");

  /**
   * The canonical text of a present (non-blank) value: long and decimal as plain digits, timestamps as ISO-8601
   * instants, strings and enums unchanged. Throws with the reason code the record is dead-lettered with.
   */
  public String canonical(String text) throws InvalidValue {
    switch (type) {
      case STRING:
        checkAllowed(text, ReasonCode.VALUE_NOT_ALLOWED);
        if (pattern != null && !pattern.matcher(text).matches()) {
          throw new InvalidValue(
              ReasonCode.PATTERN_MISMATCH, name + " '" + text + "' does not match the pattern " + pattern.pattern());
        }
        return text;
      case ENUM:
        checkAllowed(text, ReasonCode.VALUE_NOT_ALLOWED);
        return text;
      case LONG:
        long number;
        try {
          number = Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new InvalidValue(ReasonCode.INVALID_NUMBER, name + " '" + text + "' is not a whole number");
        }
        checkRange(BigDecimal.valueOf(number), text);
        return Long.toString(number);
      case DECIMAL:
        BigDecimal decimal = decimal(text);
        checkRange(decimal, text);
        return decimal.toPlainString();
      case TIMESTAMP:
        return instant(text).toString();
      default:
        throw new AssertionError(type);
    }
  }

  /** A timestamp field's value as an instant in the years 0001 to 9999. */
  public Instant instant(String text) throws InvalidValue {
    Instant time;
    try {
      time = timestamp.parse(text);
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      throw new InvalidValue(ReasonCode.INVALID_TIMESTAMP, name + " '" + text + "' is not " + timestamp.describe());
    }
    if (time.isBefore(EARLIEST_TIME) || !time.isBefore(LATEST_TIME_EXCLUSIVE)) {
      throw new InvalidValue(ReasonCode.INVALID_TIMESTAMP, name + " '" + text + "' is outside the years 0001 to 9999");
    }
    return time;
  }

  /** A decimal field's value, within its precision and scale (more digits would be rounded by the sinks). */
  public BigDecimal decimal(String text) throws InvalidValue {
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidValue(ReasonCode.INVALID_NUMBER, name + " '" + text + "' is not a decimal number");
    }
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    // long arithmetic: an exponent like 1e2147483647 overflows int precision - scale.
    long integerDigits = (long) stripped.precision() - stripped.scale();
    if (stripped.scale() > scale || integerDigits > precision - scale) {
      throw new InvalidValue(
          ReasonCode.INVALID_NUMBER,
          name + " '" + text + "' needs more than " + scale + " decimal places or " + (precision - scale)
              + " integer digits");
    }
    if (value.signum() == 0 && (value.scale() < 0 || value.scale() > scale)) {
      // A zero passes whatever its exponent; 0E-2147483647 would print as two billion zeros, and 0E+2147483647
      // overflows when a sink rescales it. Only zeros can carry such scales past the check above.
      return value.setScale(value.scale() < 0 ? 0 : scale);
    }
    return value;
  }

  private void checkAllowed(String text, ReasonCode reason) throws InvalidValue {
    if (values != null && !values.contains(text)) {
      throw new InvalidValue(reason, name + " '" + text + "' is not one of " + String.join(", ", values));
    }
  }

  private void checkRange(BigDecimal value, String text) throws InvalidValue {
    if (min != null && value.compareTo(min) < 0) {
      throw new InvalidValue(
          ReasonCode.OUT_OF_RANGE, name + " '" + text + "' is below the minimum " + min.toPlainString());
    }
    if (max != null && value.compareTo(max) > 0) {
      throw new InvalidValue(
          ReasonCode.OUT_OF_RANGE, name + " '" + text + "' is above the maximum " + max.toPlainString());
    }
  }
}
