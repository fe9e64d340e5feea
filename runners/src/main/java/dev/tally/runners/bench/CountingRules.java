package dev.tally.runners.bench;

import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import dev.tally.schema.FieldType;
import dev.tally.schema.InvalidValue;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema's rules for what decides whether and where a record counts (required fields, event type, event time,
 * price), by the schema's own field checks, for the reference counts of the benchmark: the plain Java loop and
 * the native Spark job. The default schema has no rules on its other fields, so on it these decide exactly what
 * the pipeline counts.
 */
public final class CountingRules implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EventSchema schema;
  private final long windowMillis;

  /** @param window the fixed count window, aligned to the epoch as Beam's FixedWindows */
  public CountingRules(EventSchema schema, Duration window) {
    if (schema.eventTypeIndex() < 0 || schema.eventTimeIndex() < 0) {
      throw new IllegalArgumentException("schema " + schema.name() + " has no event type or event time");
    }
    if (schema.priceIndex() >= 0 && schema.field(schema.priceIndex()).type() != FieldType.DECIMAL) {
      throw new IllegalArgumentException("the benchmark's counts support a decimal price only");
    }
    this.schema = schema;
    this.windowMillis = window.toMillis();
  }

  /** The default schema in hourly windows: what {@code ./tally bench batch} counts. */
  public static CountingRules hourlyDefault() {
    return new CountingRules(EventSchema.defaultSchema(), Duration.ofHours(1));
  }

  public EventSchema schema() {
    return schema;
  }

  public long windowMillis() {
    return windowMillis;
  }

  /** The start of the window holding {@code millis}. */
  public long windowStart(long millis) {
    return Math.floorDiv(millis, windowMillis) * windowMillis;
  }

  /** The names of the required fields. */
  public List<String> requiredFields() {
    List<String> required = new ArrayList<>();
    for (FieldSpec field : schema.fields()) {
      if (field.required()) {
        required.add(field.name());
      }
    }
    return required;
  }

  /** Tally's name for a source event type, or null if the schema does not allow it. */
  public String eventType(String source) {
    return source == null ? null : schema.eventTypeNames().get(source);
  }

  /** The event time in epoch milliseconds, or null if the schema refuses the text. */
  public Long eventTimeMillis(String text) {
    if (isBlank(text)) {
      return null;
    }
    try {
      return schema.field(schema.eventTimeIndex()).instant(text).toEpochMilli();
    } catch (InvalidValue e) {
      return null;
    }
  }

  /**
   * Whether the price allows the event to count: absent (blank) unless the type needs one, else a decimal within
   * the field's scale, precision and range, and not negative.
   */
  public boolean priceAllowed(String text, String eventType) {
    if (schema.priceIndex() < 0) {
      return true;
    }
    FieldSpec price = schema.field(schema.priceIndex());
    if (isBlank(text)) {
      return !price.requiredFor().contains(eventType);
    }
    try {
      BigDecimal value = price.decimal(text);
      price.canonical(text); // the range
      return value.signum() >= 0;
    } catch (InvalidValue e) {
      return false;
    }
  }

  public static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
