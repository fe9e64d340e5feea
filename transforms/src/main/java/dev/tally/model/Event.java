package dev.tally.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One valid event of any schema: the values of the fields that play Tally's roles, typed, and every field's
 * canonical text (see {@code FieldSpec.canonical}) in the schema's order, for the sinks.
 *
 * @param eventId the event id, or null when the schema has none (then nothing is de-duplicated)
 * @param userId the user field's canonical text
 * @param eventType Tally's name of the event type (after the schema's mapping)
 * @param eventTime when the event happened
 * @param price the price field's value, or null when absent or the schema has none; never negative
 * @param values one canonical text per schema field, null where absent
 * @param source where the record was read, e.g. {@code /data/events-00000.csv:17}
 */
@DefaultCoder(EventCoder.class)
public record Event(
    String eventId,
    String userId,
    String eventType,
    Instant eventTime,
    BigDecimal price,
    List<String> values,
    String source) {

  /** Event time in Beam's timestamp type, for windowing. */
  public org.joda.time.Instant beamTimestamp() {
    return org.joda.time.Instant.ofEpochMilli(eventTime.toEpochMilli());
  }

  /** The canonical text of the field at a schema index; null when absent. */
  public String value(int fieldIndex) {
    return values.get(fieldIndex);
  }
}
