package dev.tally.transforms;

import static dev.tally.transforms.TestEvents.fields;
import static dev.tally.transforms.TestEvents.from;
import static dev.tally.transforms.TestEvents.letter;
import static dev.tally.transforms.TestEvents.messages;
import static dev.tally.transforms.TestEvents.summaries;
import static dev.tally.transforms.TestEvents.summary;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.EventField;
import dev.tally.model.EventType;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.testing.TestPipelineExtension;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ValidateEventsTest {
  private static final String FILE = "in.csv";
  private static final String TIME = "2026-11-23T10:15:30.123Z";
  private static final String TYPES = "view, add_to_cart, remove_from_cart, purchase, search, login, logout";

  /** Records under test, each with its own line number so outputs can be told apart. */
  private final List<ParsedRecord> records = new ArrayList<>();

  /** Adds a record built from {@code fields}; its raw payload names the case. Returns its source position. */
  private String add(String rawText, TestEvents.Fields values) {
    RawRecord raw = RawRecord.of(rawText, FILE, records.size() + 1);
    records.add(values.of(raw));
    return raw.sourcePosition();
  }

  private static TestEvents.Fields view(String eventId) {
    return fields(eventId, "u1", "view", TIME);
  }

  private static TestEvents.Fields purchase(String eventId, String price) {
    return fields(eventId, "u1", "purchase", TIME).with(EventField.PRICE, price);
  }

  private WithFailures.Result<PCollection<Event>, DeadLetter> validate(TestPipeline pipeline) {
    return pipeline.apply(Create.of(records)).apply(new ValidateEvents());
  }

  @Test
  void validRecordBecomesAnEventWithEveryFieldTyped(TestPipeline pipeline) {
    String full =
        add(
            "full",
            purchase("e1", "12.50")
                .with(EventField.PRODUCT_ID, "p1")
                .with(EventField.CATEGORY, "shoes")
                .with(EventField.CURRENCY, "EUR")
                .with(EventField.DEVICE, "web")
                .with(EventField.LOCATION, "DE")
                .with(EventField.SESSION_ID, "s1"));
    String requiredOnly = add("required only", fields("e2", "u2", "logout", "2026-11-23T23:59:59Z"));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output())
        .containsInAnyOrder(
            new Event(
                "e1",
                "u1",
                "purchase",
                Instant.parse("2026-11-23T10:15:30.123Z"),
                new BigDecimal("12.50"),
                Arrays.asList(
                    "e1", "u1", "purchase", "2026-11-23T10:15:30.123Z", "p1", "shoes", "12.50", "EUR", "web", "DE",
                    "s1"),
                full),
            new Event(
                "e2",
                "u2",
                "logout",
                Instant.parse("2026-11-23T23:59:59Z"),
                null,
                Arrays.asList("e2", "u2", "logout", "2026-11-23T23:59:59Z", null, null, null, null, null, null, null),
                requiredOnly));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void everyEventTypeIsAcceptedByItsLowerCaseName(TestPipeline pipeline) {
    List<Event> expected = new ArrayList<>();
    for (EventType type : EventType.values()) {
      String id = "e-" + type.wireName();
      String source = add(type.wireName(), fields(id, "u1", type.wireName(), TIME).with(EventField.PRICE, "1"));
      expected.add(TestEvents.defaultEvent(id, "u1", type, Instant.parse(TIME), "1", source));
    }

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).containsInAnyOrder(expected);
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void priceOfZeroAndPricesAtTheLimitsAreValid(TestPipeline pipeline) {
    String zero = add("zero", purchase("e1", "0"));
    String zeroWithDecimals = add("zero with decimals", purchase("e2", "0.00"));
    String fourPlaces = add("four decimal places", purchase("e3", "1.2345"));
    String trailingZeros = add("trailing zeros beyond four places", purchase("e4", "1.23450"));
    String fourteenDigits = add("fourteen integer digits", purchase("e5", "99999999999999.9999"));
    String noPrice = add("view without price", view("e6"));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output())
        .containsInAnyOrder(
            from(zero, TestEvents.purchase("e1", "u1", "10:15:30.123", "0")),
            from(zeroWithDecimals, TestEvents.purchase("e2", "u1", "10:15:30.123", "0.00")),
            from(fourPlaces, TestEvents.purchase("e3", "u1", "10:15:30.123", "1.2345")),
            from(trailingZeros, TestEvents.purchase("e4", "u1", "10:15:30.123", "1.23450")),
            from(fourteenDigits, TestEvents.purchase("e5", "u1", "10:15:30.123", "99999999999999.9999")),
            from(noPrice, TestEvents.event("e6", "u1", EventType.VIEW, "10:15:30.123")));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void eachMissingOrBlankRequiredFieldIsDeadLettered(TestPipeline pipeline) {
    List<String> expected = new ArrayList<>();
    for (EventField field : EventField.values()) {
      if (!field.required()) {
        continue;
      }
      String absent = add("no " + field.wireName(), view("e1").with(field, null));
      String blank = add("blank " + field.wireName(), view("e1").with(field, " \t"));
      expected.add(letter(absent, ReasonCode.MISSING_REQUIRED_FIELD, field.wireName() + " is missing"));
      expected.add(letter(blank, ReasonCode.MISSING_REQUIRED_FIELD, field.wireName() + " is missing"));
    }

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures())).containsInAnyOrder(expected);
    pipeline.run();
  }

  @Test
  void eventTypeMustBeAKnownLowerCaseName(TestPipeline pipeline) {
    String wrongCase = add("wrong case", fields("e1", "u1", "View", TIME));
    String upperCase = add("upper case", fields("e2", "u1", "VIEW", TIME));
    String padded = add("padded", fields("e3", "u1", " view", TIME));
    String unknown = add("unknown", fields("e4", "u1", "teleport", TIME));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            letter(wrongCase, ReasonCode.UNKNOWN_EVENT_TYPE, "event_type 'View' is not one of " + TYPES),
            letter(upperCase, ReasonCode.UNKNOWN_EVENT_TYPE, "event_type 'VIEW' is not one of " + TYPES),
            letter(padded, ReasonCode.UNKNOWN_EVENT_TYPE, "event_type ' view' is not one of " + TYPES),
            letter(unknown, ReasonCode.UNKNOWN_EVENT_TYPE, "event_type 'teleport' is not one of " + TYPES));
    pipeline.run();
  }

  @Test
  void eventTimeMustBeAnIsoInstant(TestPipeline pipeline) {
    List<String> expected = new ArrayList<>();
    for (String time :
        List.of(
            "yesterday",
            "2026-11-23 10:15:30Z",
            "2026-11-23T10:15:30",
            "2026-11-23",
            "2026-13-01T00:00:00Z",
            "1795428930000")) {
      String source = add(time, fields("e1", "u1", "view", time));
      expected.add(
          letter(
              source,
              ReasonCode.INVALID_TIMESTAMP,
              "event_time '" + time + "' is not an ISO-8601 instant like 2026-11-23T10:15:30.123Z"));
    }

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures())).containsInAnyOrder(expected);
    pipeline.run();
  }

  @Test
  void priceMustBeADecimalWithAtMostFourPlacesAndFourteenIntegerDigits(TestPipeline pipeline) {
    String letters = add("letters", purchase("e1", "abc"));
    String twoPoints = add("two points", purchase("e2", "1.2.3"));
    String fivePlaces = add("five places", purchase("e3", "1.23456"));
    String fifteenDigits = add("fifteen digits", purchase("e4", "100000000000000"));
    String comma = add("decimal comma", view("e5").with(EventField.PRICE, "12,50"));
    String padded = add("padded", view("e6").with(EventField.PRICE, " 12.50"));
    String notANumber = add("NaN", view("e7").with(EventField.PRICE, "NaN"));
    String tooBig = "needs more than 4 decimal places or 14 integer digits";

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            letter(letters, ReasonCode.INVALID_NUMBER, "price 'abc' is not a decimal number"),
            letter(twoPoints, ReasonCode.INVALID_NUMBER, "price '1.2.3' is not a decimal number"),
            letter(fivePlaces, ReasonCode.INVALID_NUMBER, "price '1.23456' " + tooBig),
            letter(fifteenDigits, ReasonCode.INVALID_NUMBER, "price '100000000000000' " + tooBig),
            letter(comma, ReasonCode.INVALID_NUMBER, "price '12,50' is not a decimal number"),
            letter(padded, ReasonCode.INVALID_NUMBER, "price ' 12.50' is not a decimal number"),
            letter(notANumber, ReasonCode.INVALID_NUMBER, "price 'NaN' is not a decimal number"));
    pipeline.run();
  }

  @Test
  void hugeExponentsAreInvalidNumbersNotCrashesOrValidPrices(TestPipeline pipeline) {
    String positive = add("huge", purchase("e1", "1e2147483647"));
    String shifted = add("huge shifted", purchase("e2", "12e2147483646"));
    String negative = add("huge negative", purchase("e3", "-1e2147483647"));
    String infinity = add("infinity", purchase("e4", "Infinity"));
    String tooBig = "needs more than 4 decimal places or 14 integer digits";

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            letter(positive, ReasonCode.INVALID_NUMBER, "price '1e2147483647' " + tooBig),
            letter(shifted, ReasonCode.INVALID_NUMBER, "price '12e2147483646' " + tooBig),
            letter(negative, ReasonCode.INVALID_NUMBER, "price '-1e2147483647' " + tooBig),
            letter(infinity, ReasonCode.INVALID_NUMBER, "price 'Infinity' is not a decimal number"));
    pipeline.run();
  }

  @Test
  void aZeroWithAHugeExponentIsAZeroPriceWithinTheFieldsScale(TestPipeline pipeline) {
    // 0E-2147483647's plain text would be two billion zeros (the DoFn failed on it, failing the whole run), and
    // 0E+2147483647 overflows when rescaled for DECIMAL(18,4).
    String tiny = add("zero, huge negative exponent", purchase("e1", "0E-2147483647"));
    String large = add("zero, huge positive exponent", purchase("e2", "0E+2147483647"));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output())
        .containsInAnyOrder(
            from(tiny, TestEvents.purchase("e1", "u1", "10:15:30.123", "0.0000")),
            from(large, TestEvents.purchase("e2", "u1", "10:15:30.123", "0")));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void eventTimeMustHaveAFourDigitYear(TestPipeline pipeline) {
    String farFuture = add("far future", fields("e1", "u1", "view", "+294248-01-01T00:00:00Z"));
    String overflow = add("overflow", fields("e2", "u1", "view", "+1000000000-01-01T00:00:00Z"));
    String yearZero = add("year zero", fields("e3", "u1", "view", "0000-12-31T23:59:59Z"));
    add("first instant", fields("e4", "u1", "view", "0001-01-01T00:00:00Z"));
    add("last instant", fields("e5", "u1", "view", "9999-12-31T23:59:59.999Z"));
    String outside = "' is outside the years 0001 to 9999";

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(
            result.output().apply(
                org.apache.beam.sdk.transforms.MapElements.into(
                        org.apache.beam.sdk.values.TypeDescriptors.strings())
                    .via(Event::eventId)))
        .containsInAnyOrder("e4", "e5");
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            letter(farFuture, ReasonCode.INVALID_TIMESTAMP, "event_time '+294248-01-01T00:00:00Z" + outside),
            letter(overflow, ReasonCode.INVALID_TIMESTAMP, "event_time '+1000000000-01-01T00:00:00Z" + outside),
            letter(yearZero, ReasonCode.INVALID_TIMESTAMP, "event_time '0000-12-31T23:59:59Z" + outside));
    pipeline.run();
  }

  @Test
  void priceMustNotBeNegative(TestPipeline pipeline) {
    String purchase = add("negative purchase", purchase("e1", "-1"));
    String view = add("negative view", view("e2").with(EventField.PRICE, "-0.01"));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            letter(purchase, ReasonCode.NEGATIVE_PRICE, "price -1 is negative"),
            letter(view, ReasonCode.NEGATIVE_PRICE, "price -0.01 is negative"));
    pipeline.run();
  }

  @Test
  void aPurchaseNeedsAPrice(TestPipeline pipeline) {
    String absent = add("no price", purchase("e1", null));
    String blank = add("blank price", purchase("e2", "  "));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            letter(absent, ReasonCode.PURCHASE_WITHOUT_PRICE, "a purchase needs a price"),
            letter(blank, ReasonCode.PURCHASE_WITHOUT_PRICE, "a purchase needs a price"));
    pipeline.run();
  }

  @Test
  void aRecordBreakingSeveralRulesGetsTheFirstInTheDocumentedOrder(TestPipeline pipeline) {
    // Order: missing required field, unknown event type, invalid timestamp, invalid number, negative price,
    // purchase without price.
    String missingFirst =
        add("everything wrong", fields("e1", null, "View", "yesterday").with(EventField.PRICE, "x"));
    String firstMissingFieldNamed = add("two missing", fields(null, "u1", "view", " "));
    String typeBeforeTime =
        add("type and time", fields("e3", "u1", "teleport", "yesterday").with(EventField.PRICE, "-1"));
    String timeBeforeNumber = add("time and number", purchase("e4", "abc").with(EventField.EVENT_TIME, "noon"));
    String numberBeforeNegative = add("number", purchase("e5", "-1.23456"));
    String negativeBeforeNoPrice = add("negative purchase", purchase("e6", "-5"));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            letter(missingFirst, ReasonCode.MISSING_REQUIRED_FIELD, "user_id is missing"),
            letter(firstMissingFieldNamed, ReasonCode.MISSING_REQUIRED_FIELD, "event_id is missing"),
            letter(typeBeforeTime, ReasonCode.UNKNOWN_EVENT_TYPE, "event_type 'teleport' is not one of " + TYPES),
            letter(
                timeBeforeNumber,
                ReasonCode.INVALID_TIMESTAMP,
                "event_time 'noon' is not an ISO-8601 instant like 2026-11-23T10:15:30.123Z"),
            letter(
                numberBeforeNegative,
                ReasonCode.INVALID_NUMBER,
                "price '-1.23456' needs more than 4 decimal places or 14 integer digits"),
            letter(negativeBeforeNoPrice, ReasonCode.NEGATIVE_PRICE, "price -5 is negative"));
    pipeline.run();
  }

  @Test
  void deadLettersKeepTheRawRecordAndTheValidateStage(TestPipeline pipeline) {
    RawRecord raw = RawRecord.of("e1,u1,teleport,2026-11-23T10:15:30Z,,,,,,,", "/data/events-00003.csv", 42);
    records.add(fields("e1", "u1", "teleport", "2026-11-23T10:15:30Z").of(raw));
    String valid = add("valid", view("e2"));

    WithFailures.Result<PCollection<Event>, DeadLetter> result = validate(pipeline);

    PAssert.that(summaries(result.failures()))
        .containsInAnyOrder(
            summary(
                Stage.VALIDATE,
                ReasonCode.UNKNOWN_EVENT_TYPE,
                "/data/events-00003.csv:42",
                "e1,u1,teleport,2026-11-23T10:15:30Z,,,,,,,"));
    PAssert.that(result.output())
        .containsInAnyOrder(from(valid, TestEvents.event("e2", "u1", EventType.VIEW, "10:15:30.123")));
    pipeline.run();
  }
}
