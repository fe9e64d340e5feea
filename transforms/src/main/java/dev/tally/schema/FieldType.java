package dev.tally.schema;

import java.util.Locale;

/** The value types a schema field can declare. */
public enum FieldType {
  /** Any text; optional allowed values and a regular-expression pattern. */
  STRING,
  /** A 64-bit integer; optional min/max. */
  LONG,
  /** A decimal number with at most {@code scale} decimal places and {@code precision} digits; optional min/max. */
  DECIMAL,
  /** An instant in time: ISO-8601, epoch milliseconds or seconds, or a date-time pattern with a zone. */
  TIMESTAMP,
  /** One of a fixed list of texts, compared case-sensitively. */
  ENUM;

  /** The name used in schema files. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
