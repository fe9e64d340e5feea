package dev.tally.model;

/** Why a record went to the dead-letter queue. The lower-case code is what outputs and metrics show. */
public enum ReasonCode {
  /** Longer than the configured limit (default 1 MiB of UTF-8). */
  RECORD_TOO_LARGE,
  /** Not parseable as CSV or JSON, a wrong column count, a blank line, or a CSV header that lacks a field. */
  MALFORMED_RECORD,
  /** A required field (event_id, user_id, event_type, event_time) is absent or blank. */
  MISSING_REQUIRED_FIELD,
  /** event_time is not an ISO-8601 instant. */
  INVALID_TIMESTAMP,
  /** event_type is not one of Tally's event types. */
  UNKNOWN_EVENT_TYPE,
  /** price is not a decimal number with at most 4 decimal places and 14 integer digits. */
  INVALID_NUMBER,
  /** price is below zero. */
  NEGATIVE_PRICE,
  /** A purchase has no price. */
  PURCHASE_WITHOUT_PRICE;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
