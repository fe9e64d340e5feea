package dev.tally.transforms;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.EventField;
import dev.tally.model.EventType;
import dev.tally.model.ParsedRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Types parsed fields and applies Tally's business rules. A record breaking a rule goes to the dead letters
 * with stage {@code validate} and the first rule it broke, checked in this order: missing required field,
 * unknown event type, invalid timestamp, invalid number, negative price, purchase without price.
 */
public class ValidateEvents
    extends PTransform<PCollection<ParsedRecord>, WithFailures.Result<PCollection<Event>, DeadLetter>> {

  public static final TupleTag<Event> VALID = new TupleTag<>("valid") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("validateDeadLetters") {};

  /** Prices are stored as DECIMAL(18,4): more digits would be silently rounded, so they are rejected. */
  public static final int PRICE_SCALE = 4;
  public static final int PRICE_PRECISION = 18;

  private static final Instant EARLIEST_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST_TIME_EXCLUSIVE = Instant.parse("+10000-01-01T00:00:00Z");

  @Override
  public WithFailures.Result<PCollection<Event>, DeadLetter> expand(PCollection<ParsedRecord> records) {
    PCollectionTuple outputs =
        records.apply(
            "ApplyRules", ParDo.of(new ValidateFn()).withOutputTags(VALID, TupleTagList.of(DEAD_LETTERS)));
    return WithFailures.Result.of(outputs, VALID, DEAD_LETTERS);
  }

  /** A broken rule; thrown and caught inside the DoFn only. */
  private static final class RuleViolation extends Exception {
    final ReasonCode reason;

    RuleViolation(ReasonCode reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  private static final class ValidateFn extends DoFn<ParsedRecord, Event> {
    @ProcessElement
    public void processElement(@Element ParsedRecord record, MultiOutputReceiver out) {
      try {
        out.get(VALID).output(toEvent(record));
      } catch (RuleViolation e) {
        out.get(DEAD_LETTERS).output(DeadLetter.of(record.raw(), Stage.VALIDATE, e.reason, e.getMessage()));
      }
    }
  }

  static Event toEvent(ParsedRecord record) throws RuleViolation {
    for (EventField field : EventField.values()) {
      if (field.required() && isBlank(record.get(field))) {
        throw new RuleViolation(ReasonCode.MISSING_REQUIRED_FIELD, field.wireName() + " is missing");
      }
    }
    String typeName = record.get(EventField.EVENT_TYPE);
    EventType type =
        EventType.fromWireName(typeName)
            .orElseThrow(
                () -> new RuleViolation(ReasonCode.UNKNOWN_EVENT_TYPE, "event_type '" + typeName + "' is not one of "
                    + "view, add_to_cart, remove_from_cart, purchase, search, login, logout"));
    Instant time = parseInstant(record.get(EventField.EVENT_TIME));
    BigDecimal price = parsePrice(record.get(EventField.PRICE));
    if (price != null && price.signum() < 0) {
      throw new RuleViolation(ReasonCode.NEGATIVE_PRICE, "price " + price.toPlainString() + " is negative");
    }
    if (type == EventType.PURCHASE && price == null) {
      throw new RuleViolation(ReasonCode.PURCHASE_WITHOUT_PRICE, "a purchase needs a price");
    }
    return new Event(
        record.get(EventField.EVENT_ID),
        record.get(EventField.USER_ID),
        type,
        time,
        record.get(EventField.PRODUCT_ID),
        record.get(EventField.CATEGORY),
        price,
        record.get(EventField.CURRENCY),
        record.get(EventField.DEVICE),
        record.get(EventField.LOCATION),
        record.get(EventField.SESSION_ID));
  }

  private static Instant parseInstant(String text) throws RuleViolation {
    Instant time;
    try {
      time = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new RuleViolation(
          ReasonCode.INVALID_TIMESTAMP,
          "event_time '" + text + "' is not an ISO-8601 instant like 2026-11-23T10:15:30.123Z");
    }
    // Beam timestamps and Parquet timestamp-micros cannot hold every Instant; four-digit years fit both.
    if (time.isBefore(EARLIEST_TIME) || !time.isBefore(LATEST_TIME_EXCLUSIVE)) {
      throw new RuleViolation(
          ReasonCode.INVALID_TIMESTAMP, "event_time '" + text + "' is outside the years 0001 to 9999");
    }
    return time;
  }

  private static BigDecimal parsePrice(String text) throws RuleViolation {
    if (isBlank(text)) {
      return null;
    }
    BigDecimal price;
    try {
      price = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new RuleViolation(ReasonCode.INVALID_NUMBER, "price '" + text + "' is not a decimal number");
    }
    BigDecimal stripped = price.signum() == 0 ? BigDecimal.ZERO : price.stripTrailingZeros();
    // long arithmetic: an exponent like 1e2147483647 overflows int precision - scale.
    long integerDigits = (long) stripped.precision() - stripped.scale();
    if (stripped.scale() > PRICE_SCALE || integerDigits > PRICE_PRECISION - PRICE_SCALE) {
      throw new RuleViolation(
          ReasonCode.INVALID_NUMBER,
          "price '" + text + "' needs more than " + PRICE_SCALE + " decimal places or "
              + (PRICE_PRECISION - PRICE_SCALE) + " integer digits");
    }
    return price;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
