package dev.tally.model;

import java.math.BigDecimal;
import java.time.Instant;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One valid user-activity event. Optional fields are null when absent; {@code price} is never negative and is
 * present for every purchase (see {@code ValidateEvents}).
 */
@DefaultCoder(EventCoder.class)
public record Event(
    String eventId,
    String userId,
    EventType eventType,
    Instant eventTime,
    String productId,
    String category,
    BigDecimal price,
    String currency,
    String device,
    String location,
    String sessionId) {

  /** Event time in Beam's timestamp type, for windowing. */
  public org.joda.time.Instant beamTimestamp() {
    return org.joda.time.Instant.ofEpochMilli(eventTime.toEpochMilli());
  }
}
