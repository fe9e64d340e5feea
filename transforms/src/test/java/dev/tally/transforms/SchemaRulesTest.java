package dev.tally.transforms;

import static dev.tally.transforms.TestEvents.letter;
import static dev.tally.transforms.TestEvents.messages;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.InputFormat;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.schema.EventSchema;
import dev.tally.testing.TestPipelineExtension;
import dev.tally.transforms.TestEvents.Input;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and validation as each schema feature drives them, mostly through the shipped schemas. */
@ExtendWith(TestPipelineExtension.class)
class SchemaRulesTest {
  private static final String REES46_HEADER =
      "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";
  /** The first line of the REES46 export (2019-Oct.csv), as written. */
  private static final String REES46_LINE =
      "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,"
          + "72d76fde-8bb3-4e00-8c23-a032dfed738c";
  private static final String CARD_HEADER = "txn_id;card_holder;txn_type;txn_time;amount;currency;merchant_id;mcc";

  /** Valid events, and the dead letters of parsing and validation together. */
  private record Checked(PCollection<Event> valid, PCollection<DeadLetter> deadLetters) {}

  private static Checked check(TestPipeline pipeline, EventSchema schema, Input input) {
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> parsed =
        pipeline
            .apply(Create.of(input.records()).withCoder(RawRecord.RawRecordCoder.of()))
            .apply(new ParseEvents(schema, ParseEvents.DEFAULT_MAX_RECORD_BYTES));
    WithFailures.Result<PCollection<Event>, DeadLetter> validated =
        parsed.output().apply(new ValidateEvents(schema));
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.failures()).and(validated.failures()).apply(Flatten.pCollections());
    return new Checked(validated.output(), deadLetters);
  }

  // --- REES46: pattern timestamps, longs, mapping, price rules ---

  @Test
  void rees46TimestampsAreReadWithTheirPatternInUtcAndImpossibleDatesAreInvalid(TestPipeline pipeline) {
    Input export = new Input("2019-Oct.csv", REES46_HEADER);
    String valid = export.line(REES46_LINE);
    String february30 = export.line(REES46_LINE.replace("2019-10-01 00:00:00 UTC", "2019-02-30 00:00:00 UTC"));
    String iso = export.line(REES46_LINE.replace("2019-10-01 00:00:00 UTC", "2019-10-01T00:00:00Z"));
    String noZone = export.line(REES46_LINE.replace("2019-10-01 00:00:00 UTC", "2019-10-01 00:00:00"));
    String like = "' is not a timestamp like '2026-11-23 10:15:30 UTC' (pattern uuuu-MM-dd HH:mm:ss 'UTC', zone UTC)";

    Checked result = check(pipeline, EventSchema.builtIn("rees46"), export);

    PAssert.that(result.valid())
        .containsInAnyOrder(
            new Event(
                null,
                "541312140",
                "view",
                Instant.parse("2019-10-01T00:00:00Z"),
                new BigDecimal("35.79"),
                Arrays.asList(
                    "2019-10-01T00:00:00Z", "view", "44600062", "2103807459595387724", null, "shiseido", "35.79",
                    "541312140", "72d76fde-8bb3-4e00-8c23-a032dfed738c"),
                valid));
    PAssert.that(messages(result.deadLetters()))
        .containsInAnyOrder(
            letter(february30, ReasonCode.INVALID_TIMESTAMP, "event_time '2019-02-30 00:00:00 UTC" + like),
            letter(iso, ReasonCode.INVALID_TIMESTAMP, "event_time '2019-10-01T00:00:00Z" + like),
            letter(noZone, ReasonCode.INVALID_TIMESTAMP, "event_time '2019-10-01 00:00:00" + like));
    pipeline.run();
  }

  @Test
  void rees46LongFieldsMappingAndPriceRules(TestPipeline pipeline) {
    Input export = new Input("2019-Oct.csv", REES46_HEADER);
    String cart =
        export.line(
            "2019-10-01 00:05:14 UTC,cart,5100816,2053013553375346967,,xiaomi,29.51,550121407,"
                + "6f623695-9581-4633-813f-825b8760c7ae");
    String leadingZeros = export.line(REES46_LINE.replace(",541312140,", ",000541312140,"));
    String decimalProduct = export.line(REES46_LINE.replace(",44600062,", ",12.0,"));
    String hugeCategory = export.line(REES46_LINE.replace(",2103807459595387724,", ",9223372036854775808,"));
    String negativeUser = export.line(REES46_LINE.replace(",541312140,", ",-5,"));
    String tallyName = export.line(REES46_LINE.replace(",view,", ",add_to_cart,"));
    String threePlaces = export.line(REES46_LINE.replace(",35.79,", ",35.789,"));
    String purchaseWithoutPrice = export.line(REES46_LINE.replace(",view,", ",purchase,").replace(",35.79,", ",,"));
    String viewWithoutPrice = export.line(REES46_LINE.replace(",35.79,", ",,"));

    Checked result = check(pipeline, EventSchema.builtIn("rees46"), export);

    PAssert.that(result.valid())
        .containsInAnyOrder(
            new Event(
                null,
                "550121407",
                "add_to_cart",
                Instant.parse("2019-10-01T00:05:14Z"),
                new BigDecimal("29.51"),
                Arrays.asList(
                    "2019-10-01T00:05:14Z", "add_to_cart", "5100816", "2053013553375346967", null, "xiaomi", "29.51",
                    "550121407", "6f623695-9581-4633-813f-825b8760c7ae"),
                cart),
            // A long's canonical text is its plain digits: 000541312140 and 541312140 are one user.
            new Event(
                null,
                "541312140",
                "view",
                Instant.parse("2019-10-01T00:00:00Z"),
                new BigDecimal("35.79"),
                Arrays.asList(
                    "2019-10-01T00:00:00Z", "view", "44600062", "2103807459595387724", null, "shiseido", "35.79",
                    "541312140", "72d76fde-8bb3-4e00-8c23-a032dfed738c"),
                leadingZeros),
            new Event(
                null,
                "541312140",
                "view",
                Instant.parse("2019-10-01T00:00:00Z"),
                null,
                Arrays.asList(
                    "2019-10-01T00:00:00Z", "view", "44600062", "2103807459595387724", null, "shiseido", null,
                    "541312140", "72d76fde-8bb3-4e00-8c23-a032dfed738c"),
                viewWithoutPrice));
    PAssert.that(messages(result.deadLetters()))
        .containsInAnyOrder(
            letter(decimalProduct, ReasonCode.INVALID_NUMBER, "product_id '12.0' is not a whole number"),
            letter(
                hugeCategory, ReasonCode.INVALID_NUMBER, "category_id '9223372036854775808' is not a whole number"),
            letter(negativeUser, ReasonCode.OUT_OF_RANGE, "user_id '-5' is below the minimum 0"),
            letter(
                tallyName,
                ReasonCode.UNKNOWN_EVENT_TYPE,
                "event_type 'add_to_cart' is not one of view, cart, remove_from_cart, purchase"),
            letter(
                threePlaces,
                ReasonCode.INVALID_NUMBER,
                "price '35.789' needs more than 2 decimal places or 10 integer digits"),
            letter(purchaseWithoutPrice, ReasonCode.PURCHASE_WITHOUT_PRICE, "a purchase needs a price"));
    pipeline.run();
  }

  // --- Retailrocket: epoch milliseconds ---

  @Test
  void retailrocketEpochMillisecondsAreInstants(TestPipeline pipeline) {
    Input export = new Input("events.csv", "timestamp,visitorid,event,itemid,transactionid");
    // Real lines of the Retailrocket export, then two timestamps in other notations.
    String transaction = export.line("1438829821179,264810,transaction,325310,14418.0");
    String addToCart = export.line("1439093537892,77163,addtocart,184079,");
    String fraction = export.line("1438829821179.0,264810,transaction,325310,14418.0");
    String iso = export.line("2015-08-06T02:57:01.179Z,264810,view,325310,");
    String millis = "' is not epoch milliseconds like 1764022530123";

    Checked result = check(pipeline, EventSchema.builtIn("retailrocket"), export);

    PAssert.that(result.valid())
        .containsInAnyOrder(
            new Event(
                null,
                "264810",
                "purchase",
                Instant.parse("2015-08-06T02:57:01.179Z"),
                null,
                Arrays.asList("2015-08-06T02:57:01.179Z", "264810", "purchase", "325310", "14418.0"),
                transaction),
            new Event(
                null,
                "77163",
                "add_to_cart",
                Instant.parse("2015-08-09T04:12:17.892Z"),
                null,
                Arrays.asList("2015-08-09T04:12:17.892Z", "77163", "add_to_cart", "184079", null),
                addToCart));
    PAssert.that(messages(result.deadLetters()))
        .containsInAnyOrder(
            letter(fraction, ReasonCode.INVALID_TIMESTAMP, "timestamp '1438829821179.0" + millis),
            letter(iso, ReasonCode.INVALID_TIMESTAMP, "timestamp '2015-08-06T02:57:01.179Z" + millis));
    pipeline.run();
  }

  // --- Database actions: JSON Lines, epoch seconds, pattern, range ---

  @Test
  void dbActionsJsonLinesAreReadByKeyWithEpochSecondsPatternAndRange(TestPipeline pipeline) {
    Input jsonl = new Input("audit.jsonl");
    String select =
        jsonl.line(
            "{\"timestamp\":1569888000,\"action\":\"SELECT\",\"user_email\":\"ann@example.com\","
                + "\"action_id\":\"a1\",\"table_name\":\"orders\",\"rows_affected\":0,\"database\":\"shop\","
                + "\"client\":\"psql\"}");
    String fractionalSeconds =
        jsonl.line(
            "{\"action_id\":\"a2\",\"user_email\":\"bob@example.org\",\"timestamp\":\"1569888000.25\","
                + "\"action\":\"DELETE\",\"table_name\":\"audit_log\"}");
    String noAt = jsonl.line(action("a3", "bob", "1569888000", "SELECT", 1));
    String negativeRows = jsonl.line(action("a4", "ann@example.com", "1569888000", "UPDATE", -1));
    String decimalRows = jsonl.line(action("a5", "ann@example.com", "1569888000", "UPDATE", 12.0));
    String lowerCaseAction = jsonl.line(action("a6", "ann@example.com", "1569888000", "select", 1));
    String isoTime = jsonl.line(action("a7", "ann@example.com", "\"2019-10-01T00:00:00Z\"", "SELECT", 1));
    // Must fail fast: turning 1e100000000 into whole seconds would take minutes. (Quoted: as a JSON number it
    // would arrive as Infinity.)
    String hugeExponent = jsonl.line(action("a8", "ann@example.com", "\"1e100000000\"", "SELECT", 1));
    String seconds = "' is not epoch seconds like 1764022530";

    Checked result = check(pipeline, EventSchema.builtIn("db-actions"), jsonl);

    PAssert.that(result.valid())
        .containsInAnyOrder(
            new Event(
                "a1",
                "ann@example.com",
                "select",
                Instant.parse("2019-10-01T00:00:00Z"),
                null,
                Arrays.asList("a1", "ann@example.com", "2019-10-01T00:00:00Z", "select", "orders", "0", "shop"),
                select),
            new Event(
                "a2",
                "bob@example.org",
                "delete",
                Instant.parse("2019-10-01T00:00:00.250Z"),
                null,
                Arrays.asList(
                    "a2", "bob@example.org", "2019-10-01T00:00:00.250Z", "delete", "audit_log", null, null),
                fractionalSeconds));
    PAssert.that(messages(result.deadLetters()))
        .containsInAnyOrder(
            letter(
                noAt,
                ReasonCode.PATTERN_MISMATCH,
                "user_email 'bob' does not match the pattern [^@\\s]+@[^@\\s]+\\.[a-z]+"),
            letter(negativeRows, ReasonCode.OUT_OF_RANGE, "rows_affected '-1' is below the minimum 0"),
            letter(decimalRows, ReasonCode.INVALID_NUMBER, "rows_affected '12.0' is not a whole number"),
            letter(
                lowerCaseAction,
                ReasonCode.UNKNOWN_EVENT_TYPE,
                "action 'select' is not one of INSERT, UPDATE, DELETE, SELECT"),
            letter(isoTime, ReasonCode.INVALID_TIMESTAMP, "timestamp '2019-10-01T00:00:00Z" + seconds),
            letter(hugeExponent, ReasonCode.INVALID_TIMESTAMP, "timestamp '1e100000000" + seconds));
    pipeline.run();
  }

  /** A db-actions line; {@code timestamp} is written as given (a JSON number, or a quoted text). */
  private static String action(String id, String email, String timestamp, String action, Number rows) {
    return "{\"action_id\":\"" + id + "\",\"user_email\":\"" + email + "\",\"timestamp\":" + timestamp
        + ",\"action\":\"" + action + "\",\"table_name\":\"orders\",\"rows_affected\":" + rows + "}";
  }

  // --- Card transactions: semicolons, quotes, Paris time, enum, pattern, range, requiredFor ---

  @Test
  void cardTransactionsSemicolonCsvInParisTimeWithEveryFieldRule(TestPipeline pipeline) {
    Input export = new Input("transactions.csv", CARD_HEADER);
    String winter = export.line("T1;C000001;CAPTURE;23/11/2026 10:15:30;12.50;EUR;\"M;00042\";5411");
    String summer = export.line("T2;C000002;AUTHORIZATION;01/07/2026 10:15:30;;USD;\"say \"\"hi\"\"\";1000");
    String yen = export.line("T3;C000003;CAPTURE;23/11/2026 10:15:30;1.00;JPY;M00001;5411");
    String lowMcc = export.line("T4;C000004;CAPTURE;23/11/2026 10:15:30;1.00;EUR;M00001;999");
    String highMcc = export.line("T5;C000005;CAPTURE;23/11/2026 10:15:30;1.00;EUR;M00001;10000");
    String shortCard = export.line("T6;C12345;CAPTURE;23/11/2026 10:15:30;1.00;EUR;M00001;5411");
    String refundWithoutAmount = export.line("T7;C000007;REFUND;23/11/2026 10:15:30;;EUR;M00001;5411");
    String commas = export.line("T8,C000008,CAPTURE,23/11/2026 10:15:30,1.00,EUR,M00001,5411");
    String isoTime = export.line("T9;C000009;CAPTURE;2026-11-23 10:15:30;1.00;EUR;M00001;5411");
    String negativeRefund = export.line("T10;C000010;REFUND;23/11/2026 10:15:30;-3.00;EUR;M00001;5411");

    Checked result = check(pipeline, EventSchema.builtIn("card-transactions"), export);

    PAssert.that(result.valid())
        .containsInAnyOrder(
            // Paris is UTC+1 in November and UTC+2 in July.
            new Event(
                "T1",
                "C000001",
                "capture",
                Instant.parse("2026-11-23T09:15:30Z"),
                new BigDecimal("12.50"),
                Arrays.asList("T1", "C000001", "capture", "2026-11-23T09:15:30Z", "12.50", "EUR", "M;00042", "5411"),
                winter),
            new Event(
                "T2",
                "C000002",
                "authorization",
                Instant.parse("2026-07-01T08:15:30Z"),
                null,
                Arrays.asList(
                    "T2", "C000002", "authorization", "2026-07-01T08:15:30Z", null, "USD", "say \"hi\"", "1000"),
                summer));
    PAssert.that(messages(result.deadLetters()))
        .containsInAnyOrder(
            letter(yen, ReasonCode.VALUE_NOT_ALLOWED, "currency 'JPY' is not one of EUR, USD, GBP"),
            letter(lowMcc, ReasonCode.OUT_OF_RANGE, "mcc '999' is below the minimum 1000"),
            letter(highMcc, ReasonCode.OUT_OF_RANGE, "mcc '10000' is above the maximum 9999"),
            letter(shortCard, ReasonCode.PATTERN_MISMATCH, "card_holder 'C12345' does not match the pattern C[0-9]{6}"),
            letter(refundWithoutAmount, ReasonCode.PURCHASE_WITHOUT_PRICE, "a refund needs an amount"),
            letter(commas, ReasonCode.MALFORMED_RECORD, "expected 8 columns, found 1"),
            letter(
                isoTime,
                ReasonCode.INVALID_TIMESTAMP,
                "txn_time '2026-11-23 10:15:30' is not a timestamp like '23/11/2026 11:15:30' (pattern dd/MM/uuuu"
                    + " HH:mm:ss, zone Europe/Paris)"),
            letter(negativeRefund, ReasonCode.NEGATIVE_PRICE, "amount -3.00 is negative"));
    pipeline.run();
  }

  @Test
  void aCsvSchemaReadAsJsonLinesTakesItsFieldsByKey(TestPipeline pipeline) {
    Input jsonl = new Input("transactions.jsonl");
    String capture =
        jsonl.line(
            "{\"mcc\":5411,\"amount\":12.50,\"txn_time\":\"23/11/2026 10:15:30\",\"txn_type\":\"CAPTURE\","
                + "\"card_holder\":\"C000001\",\"txn_id\":\"T1\",\"merchant_id\":\"M;00042\"}");

    Checked result =
        check(pipeline, EventSchema.builtIn("card-transactions").withFormat(InputFormat.JSONL), jsonl);

    PAssert.that(result.valid())
        .containsInAnyOrder(
            new Event(
                "T1",
                "C000001",
                "capture",
                Instant.parse("2026-11-23T09:15:30Z"),
                new BigDecimal("12.50"),
                Arrays.asList("T1", "C000001", "capture", "2026-11-23T09:15:30Z", "12.50", null, "M;00042", "5411"),
                capture));
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  // --- A schema file of one's own: header-less CSV ---

  @Test
  void headerlessCsvIsReadInTheSchemasFieldOrder(@TempDir Path dir, TestPipeline pipeline) throws IOException {
    Path file = dir.resolve("kiosk.json");
    Files.writeString(
        file,
        """
        {
          "name": "kiosk",
          "format": {"type": "csv", "delimiter": "|", "quote": "'", "header": false},
          "fields": [
            {"name": "at", "type": "timestamp", "required": true, "format": "epoch_seconds"},
            {"name": "who", "type": "long", "required": true},
            {"name": "what", "type": "enum", "required": true, "values": ["tap", "swipe"]},
            {"name": "note", "type": "string"}
          ],
          "roles": {"user": "who", "eventType": "what", "eventTime": "at"}
        }
        """);
    EventSchema schema = EventSchema.load(file.toString());
    assertFalse(schema.format().header());
    Input lines = new Input("kiosk.txt");
    String tap = lines.line("1569888000|42|tap|'hello | world'");
    String swipe = lines.line("1569888001|7|swipe|");
    String tooFew = lines.line("1569888001|7|swipe");
    String headerLine = lines.line("at|who|what|note");

    Checked result = check(pipeline, schema, lines);

    PAssert.that(result.valid())
        .containsInAnyOrder(
            new Event(
                null,
                "42",
                "tap",
                Instant.parse("2019-10-01T00:00:00Z"),
                null,
                Arrays.asList("2019-10-01T00:00:00Z", "42", "tap", "hello | world"),
                tap),
            new Event(
                null,
                "7",
                "swipe",
                Instant.parse("2019-10-01T00:00:01Z"),
                null,
                Arrays.asList("2019-10-01T00:00:01Z", "7", "swipe", null),
                swipe));
    PAssert.that(messages(result.deadLetters()))
        .containsInAnyOrder(
            letter(tooFew, ReasonCode.MALFORMED_RECORD, "expected 4 columns, found 3"),
            // Without a header, a header line is just a record with an unknown event type.
            letter(headerLine, ReasonCode.UNKNOWN_EVENT_TYPE, "what 'what' is not one of tap, swipe"));
    pipeline.run();
  }
}
