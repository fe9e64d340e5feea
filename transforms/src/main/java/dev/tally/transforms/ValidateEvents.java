package dev.tally.transforms;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ParsedRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import dev.tally.schema.FieldType;
import dev.tally.schema.InvalidValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Types parsed fields as the {@link EventSchema} declares them and applies its rules. A record breaking a rule
 * goes to the dead letters with stage {@code validate} and the first rule it broke, checked in this order:
 * missing required field, unknown event type, invalid event time, then each other field in schema order (invalid
 * timestamp or number, negative price, value not allowed, pattern mismatch, out of range), then a price missing
 * for an event type that needs one ({@code purchase_without_price}).
 */
public class ValidateEvents
    extends PTransform<PCollection<ParsedRecord>, WithFailures.Result<PCollection<Event>, DeadLetter>> {

  public static final TupleTag<Event> VALID = new TupleTag<>("valid") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("validateDeadLetters") {};

  private final EventSchema schema;

  public ValidateEvents(EventSchema schema) {
    this.schema = schema;
  }

  /** The default schema's rules. */
  public ValidateEvents() {
    this(EventSchema.defaultSchema());
  }

  @Override
  public WithFailures.Result<PCollection<Event>, DeadLetter> expand(PCollection<ParsedRecord> records) {
    PCollectionTuple outputs =
        records.apply(
            "ApplyRules",
            ParDo.of(new ValidateFn(schema)).withOutputTags(VALID, TupleTagList.of(DEAD_LETTERS)));
    return WithFailures.Result.of(outputs, VALID, DEAD_LETTERS);
  }

  // Package-private for the property tests, which call it directly.
  static final class ValidateFn extends DoFn<ParsedRecord, Event> {
    private final EventSchema schema;

    ValidateFn(EventSchema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void processElement(@Element ParsedRecord record, MultiOutputReceiver out) {
      try {
        out.get(VALID).output(toEvent(schema, record));
      } catch (InvalidValue e) {
        out.get(DEAD_LETTERS).output(DeadLetter.of(record.raw(), Stage.VALIDATE, e.reason(), e.getMessage()));
      }
    }
  }

  static Event toEvent(EventSchema schema, ParsedRecord record) throws InvalidValue {
    int fieldCount = schema.fieldCount();
    for (int i = 0; i < fieldCount; i++) {
      if (schema.field(i).required() && isBlank(record.get(i))) {
        throw new InvalidValue(ReasonCode.MISSING_REQUIRED_FIELD, schema.field(i).name() + " is missing");
      }
    }
    String[] values = new String[fieldCount];

    int typeIndex = schema.eventTypeIndex();
    String sourceType = record.get(typeIndex);
    String type = schema.eventTypeNames().get(sourceType);
    if (type == null) {
      throw new InvalidValue(
          ReasonCode.UNKNOWN_EVENT_TYPE,
          schema.field(typeIndex).name() + " '" + sourceType + "' is not one of "
              + String.join(", ", schema.eventTypeNames().keySet()));
    }
    values[typeIndex] = type;

    int timeIndex = schema.eventTimeIndex();
    Instant time = schema.field(timeIndex).instant(record.get(timeIndex));
    values[timeIndex] = time.toString();

    int priceIndex = schema.priceIndex();
    BigDecimal price = null;
    for (int i = 0; i < fieldCount; i++) {
      if (i == typeIndex || i == timeIndex) {
        continue;
      }
      FieldSpec field = schema.field(i);
      String text = record.get(i);
      // A blank number or timestamp is an absent one; a blank string is kept as written.
      if (text == null || (text.isBlank() && field.type() != FieldType.STRING)) {
        continue;
      }
      if (i == priceIndex) {
        price = field.type() == FieldType.DECIMAL ? field.decimal(text) : wholePrice(field, text);
        if (price.signum() < 0) {
          throw new InvalidValue(
              ReasonCode.NEGATIVE_PRICE, field.name() + " " + price.toPlainString() + " is negative");
        }
      }
      values[i] = field.canonical(text);
    }
    if (priceIndex >= 0 && price == null && schema.field(priceIndex).requiredFor().contains(type)) {
      throw new InvalidValue(
          ReasonCode.PURCHASE_WITHOUT_PRICE,
          withArticle(type) + " needs " + withArticle(schema.field(priceIndex).name()));
    }
    String eventId = schema.hasEventId() ? values[schema.eventIdIndex()] : null;
    return new Event(
        eventId,
        values[schema.userIndex()],
        type,
        time,
        price,
        Arrays.asList(values),
        record.raw().sourcePosition());
  }

  /** "a purchase", "an amount" (schema names are never empty). */
  private static String withArticle(String noun) {
    return ("aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
  }

  /** A long price field's value, read without its range so that a negative one is negative_price first. */
  private static BigDecimal wholePrice(FieldSpec field, String text) throws InvalidValue {
    try {
      return BigDecimal.valueOf(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return new BigDecimal(field.canonical(text)); // throws invalid_number with the field's message
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
