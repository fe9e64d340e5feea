package dev.tally.model;

import java.util.Optional;

/**
 * The fields of the default schema ({@code dev/tally/schemas/default.json}), in its order, for code and tests
 * that work with Tally's own user-activity model; a test checks that the two agree. Other schemas have their own
 * fields: see {@link dev.tally.schema.EventSchema}.
 */
public enum EventField {
  EVENT_ID("event_id", true),
  USER_ID("user_id", true),
  EVENT_TYPE("event_type", true),
  EVENT_TIME("event_time", true),
  PRODUCT_ID("product_id", false),
  CATEGORY("category", false),
  PRICE("price", false),
  CURRENCY("currency", false),
  DEVICE("device", false),
  LOCATION("location", false),
  SESSION_ID("session_id", false);

  private final String wireName;
  private final boolean required;

  EventField(String wireName, boolean required) {
    this.wireName = wireName;
    this.required = required;
  }

  public String wireName() {
    return wireName;
  }

  public boolean required() {
    return required;
  }

  public static Optional<EventField> fromWireName(String name) {
    for (EventField field : values()) {
      if (field.wireName.equals(name)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }

  /** The default CSV header line: every field, in declaration order. */
  public static String defaultCsvHeader() {
    StringBuilder header = new StringBuilder();
    for (EventField field : values()) {
      if (header.length() > 0) {
        header.append(',');
      }
      header.append(field.wireName);
    }
    return header.toString();
  }
}
