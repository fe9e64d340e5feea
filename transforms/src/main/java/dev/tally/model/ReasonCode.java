package dev.tally.model;

/** Why a record went to the dead-letter queue. The lower-case code is what outputs and metrics show. */
public enum ReasonCode {
  /** Longer than the configured limit (default 1 MiB of UTF-8). */
  RECORD_TOO_LARGE,
  /**
   * Not parseable as CSV or JSON, a wrong column count, a blank line, a CSV header that lacks a field or one repeated
   * as a record, or text that is not text (a NUL character, bytes that are not UTF-8).
   */
  MALFORMED_RECORD,
  /** A required field (default schema: event_id, user_id, event_type, event_time) is absent or blank. */
  MISSING_REQUIRED_FIELD,
  /** A timestamp (event_time) is not in the schema's format, or outside the years 0001 to 9999. */
  INVALID_TIMESTAMP,
  /** event_type is not one of the schema's event types. */
  UNKNOWN_EVENT_TYPE,
  /** A number (price) is not a number, or has more digits than its field allows (default 4 decimal places, 14 integer). */
  INVALID_NUMBER,
  /** The price field is below zero. */
  NEGATIVE_PRICE,
  /** A purchase has no price (more generally: the price field is missing for a type the schema says needs one). */
  PURCHASE_WITHOUT_PRICE,
  /** A string or enum field's value is not one of the schema's allowed values (the event type: see above). */
  VALUE_NOT_ALLOWED,
  /** A string field's value does not match the schema's pattern. */
  PATTERN_MISMATCH,
  /** A number is below the schema's min or above its max. */
  OUT_OF_RANGE,
  /**
   * A valid event that PostgreSQL refused to store (a data exception or an integrity violation, e.g. a CHECK
   * constraint the table has and the schema does not know); the message is the database's. Appended last: coders
   * store the ordinal.
   */
  REJECTED_BY_DATABASE;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
