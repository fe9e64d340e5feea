package dev.tally.transforms;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.EventField;
import dev.tally.model.EventType;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.model.WindowedCount;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Small builders and projections shared by the transforms' tests. */
final class TestEvents {
  private TestEvents() {}

  /** An instant on the test day, 2026-11-23, e.g. {@code at("10:59:59.999")}. */
  static Instant at(String timeOfDay) {
    return Instant.parse("2026-11-23T" + timeOfDay + "Z");
  }

  static org.joda.time.Instant jodaAt(String timeOfDay) {
    return org.joda.time.Instant.ofEpochMilli(at(timeOfDay).toEpochMilli());
  }

  /** Where builders' events say they were read, unless {@link #from} says otherwise. */
  static final String SOURCE = "test.csv:1";

  /**
   * An event of the default schema with only the required fields, read from {@link #SOURCE}: its values are the
   * canonical texts in {@link EventField} order (event time as an ISO-8601 instant).
   */
  static Event event(String eventId, String userId, EventType type, String timeOfDay) {
    return defaultEvent(eventId, userId, type, at(timeOfDay), null, SOURCE);
  }

  static Event purchase(String eventId, String userId, String timeOfDay, String price) {
    return defaultEvent(eventId, userId, EventType.PURCHASE, at(timeOfDay), price, SOURCE);
  }

  /**
   * An event of the default schema with the required fields and, if not null, a price written as its canonical
   * text (plain digits, e.g. {@code 12.50}).
   */
  static Event defaultEvent(
      String eventId, String userId, EventType type, Instant time, String price, String source) {
    String[] values = new String[EventField.values().length];
    values[EventField.EVENT_ID.ordinal()] = eventId;
    values[EventField.USER_ID.ordinal()] = userId;
    values[EventField.EVENT_TYPE.ordinal()] = type.wireName();
    values[EventField.EVENT_TIME.ordinal()] = time.toString();
    values[EventField.PRICE.ordinal()] = price;
    return new Event(
        eventId,
        userId,
        type.wireName(),
        time,
        price == null ? null : new BigDecimal(price),
        Arrays.asList(values),
        source);
  }

  /** The same event with another device: a copy that differs in content. */
  static Event withDevice(Event event, String device) {
    List<String> values = new ArrayList<>(event.values());
    values.set(EventField.DEVICE.ordinal(), device);
    return new Event(
        event.eventId(), event.userId(), event.eventType(), event.eventTime(), event.price(), values, event.source());
  }

  /** The same event read from another place, e.g. {@code in.csv:7}. */
  static Event from(String source, Event event) {
    return new Event(
        event.eventId(), event.userId(), event.eventType(), event.eventTime(), event.price(), event.values(), source);
  }

  /** A field's value in an event of the default schema. */
  static String value(Event event, EventField field) {
    return event.value(field.ordinal());
  }

  /** The event with its event time as element timestamp, as the transforms expect. */
  static TimestampedValue<Event> stamped(Event event) {
    return TimestampedValue.of(event, event.beamTimestamp());
  }

  static List<TimestampedValue<Event>> stamped(List<Event> events) {
    List<TimestampedValue<Event>> values = new ArrayList<>();
    for (Event event : events) {
      values.add(stamped(event));
    }
    return values;
  }

  static WindowedCount count(String start, String end, String userId, EventType type, long count) {
    return new WindowedCount(at(start), at(end), userId, type.wireName(), count);
  }

  /**
   * A dead letter without its wall-clock {@code failedAt}: {@code stage|reason|source|raw}, e.g.
   * {@code PARSE|MALFORMED_RECORD|in.csv:7|too,few,columns}.
   */
  static String summary(DeadLetter letter) {
    return letter.stage() + "|" + letter.reason() + "|" + letter.source() + "|" + letter.raw();
  }

  static String summary(Stage stage, ReasonCode reason, String source, String raw) {
    return stage + "|" + reason + "|" + source + "|" + raw;
  }

  static PCollection<String> summaries(PCollection<DeadLetter> letters) {
    return letters.apply(
        "DeadLetterSummaries", MapElements.into(TypeDescriptors.strings()).via(TestEvents::summary));
  }

  /** {@code source|reason|message}: the explanation a dead letter carries, for exact checks. */
  static PCollection<String> messages(PCollection<DeadLetter> letters) {
    return letters.apply(
        "DeadLetterMessages",
        MapElements.into(TypeDescriptors.strings())
            .via((DeadLetter dead) -> letter(dead.source(), dead.reason(), dead.message())));
  }

  /** What {@link #messages} gives for one dead letter. */
  static String letter(String source, ReasonCode reason, String message) {
    return source + "|" + reason + "|" + message;
  }

  /** Field texts for a {@link dev.tally.model.ParsedRecord}, starting from the four required fields. */
  static Fields fields(String eventId, String userId, String eventType, String eventTime) {
    return new Fields()
        .with(EventField.EVENT_ID, eventId)
        .with(EventField.USER_ID, userId)
        .with(EventField.EVENT_TYPE, eventType)
        .with(EventField.EVENT_TIME, eventTime);
  }

  /** One text per {@link EventField}, null where unset. */
  static final class Fields {
    private final String[] values = new String[EventField.values().length];

    Fields with(EventField field, String value) {
      values[field.ordinal()] = value;
      return this;
    }

    List<String> list() {
      return Arrays.asList(values.clone());
    }

    ParsedRecord of(RawRecord raw) {
      return new ParsedRecord(raw, list());
    }
  }

  /** Raw records of one input file, numbered from line 2 as under a header line. */
  static final class Input {
    private final String origin;
    private final String csvHeader;
    private final List<RawRecord> records = new ArrayList<>();

    /** Records read without their header: CSV in the schema's column order, or JSON Lines. */
    Input(String origin) {
      this(origin, null);
    }

    /** Records of a CSV file that starts with {@code csvHeader}. */
    Input(String origin, String csvHeader) {
      this.origin = origin;
      this.csvHeader = csvHeader;
    }

    /** Adds a line; returns its source position, e.g. {@code in.csv:7}. */
    String line(String payload) {
      RawRecord record = new RawRecord(payload, origin, records.size() + 2, csvHeader);
      records.add(record);
      return record.sourcePosition();
    }

    List<RawRecord> records() {
      return records;
    }
  }

  /** The committed value of one of Tally's counters, summed over steps; 0 when never incremented. */
  static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(TallyMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += counter.getCommitted();
    }
    return total;
  }
}
