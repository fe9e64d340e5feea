package dev.tally.transforms;

import static dev.tally.transforms.TestEvents.count;
import static dev.tally.transforms.TestEvents.counter;
import static dev.tally.transforms.TestEvents.event;
import static dev.tally.transforms.TestEvents.from;
import static dev.tally.transforms.TestEvents.summaries;
import static dev.tally.transforms.TestEvents.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.model.Event;
import dev.tally.model.EventType;
import dev.tally.model.InputFormat;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.model.WindowedCount;
import dev.tally.schema.EventSchema;
import dev.tally.testing.TestPipelineExtension;
import dev.tally.transforms.TestEvents.Input;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ProcessEventsTest {
  private static final Duration ONE_HOUR = Duration.standardHours(1);
  private static final long MAX_BYTES = 120;

  private static ProcessEvents.Result process(TestPipeline pipeline, InputFormat format, Input input) {
    return pipeline
        .apply(Create.of(input.records()).withCoder(RawRecord.RawRecordCoder.of()))
        .apply(new ProcessEvents(format, MAX_BYTES, ONE_HOUR, null, Duration.ZERO));
  }

  private static Map<ReasonCode, Long> deadLettersByReason(PipelineResult result) {
    Map<ReasonCode, Long> byReason = new EnumMap<>(ReasonCode.class);
    for (ReasonCode reason : ReasonCode.values()) {
      byReason.put(reason, counter(result, TallyMetrics.deadLettersFor(reason)));
    }
    return byReason;
  }

  private static Map<ReasonCode, Long> expectedByReason(Object... reasonsAndCounts) {
    Map<ReasonCode, Long> byReason = new EnumMap<>(ReasonCode.class);
    for (ReasonCode reason : ReasonCode.values()) {
      byReason.put(reason, 0L);
    }
    for (int i = 0; i < reasonsAndCounts.length; i += 2) {
      byReason.put((ReasonCode) reasonsAndCounts[i], ((Number) reasonsAndCounts[i + 1]).longValue());
    }
    return byReason;
  }

  private static void assertBookkeeping(
      PipelineResult result, long read, long valid, long duplicates, long deadLetters) {
    assertEquals(read, counter(result, TallyMetrics.READ), "read");
    assertEquals(valid, counter(result, TallyMetrics.VALID), "valid");
    assertEquals(duplicates, counter(result, TallyMetrics.DUPLICATES), "duplicates");
    assertEquals(deadLetters, counter(result, TallyMetrics.DEAD_LETTERS), "dead_letters");
    assertEquals(
        counter(result, TallyMetrics.READ),
        counter(result, TallyMetrics.VALID)
            + counter(result, TallyMetrics.DUPLICATES)
            + counter(result, TallyMetrics.DEAD_LETTERS),
        "read = valid + duplicates + dead_letters");
  }

  /** {@code eventId@timestamp} of the valid events: they leave stamped with their event time. */
  private static PCollection<String> idsWithTimestamps(PCollection<Event> events) {
    return events.apply(
        "IdsWithTimestamps",
        ParDo.of(
            new DoFn<Event, String>() {
              @ProcessElement
              public void processElement(
                  @Element Event event, @Timestamp Instant timestamp, OutputReceiver<String> out) {
                out.output(event.eventId() + "@" + timestamp);
              }
            }));
  }

  @Test
  void mixedCsvBatchEndsUpValidDuplicateOrDeadLetteredWithExactCounters(TestPipeline pipeline) {
    Input csv = new Input("in.csv");
    String firstCopy = csv.line("e1,alice,view,2026-11-23T10:15:30.123Z,p1,shoes,,,web,DE,s1");
    csv.line("e1,alice,view,2026-11-23T10:15:30.123Z,p1,shoes,,,web,DE,s1");
    String purchase = csv.line("e2,alice,purchase,2026-11-23T10:20:00Z,p2,books,9.99,EUR,ios,FR,s2");
    csv.line("e1,alice,view,2026-11-23T10:15:30.123Z,p1,shoes,,,web,DE,s1");
    String requiredOnly = csv.line("e3,bob,view,2026-11-23T11:05:00Z,,,,,,,");
    String tooFewColumns = csv.line("too,few,columns");
    String blank = csv.line("");
    String unbalancedQuote = csv.line("e9,bob,view,\"2026-11-23T11:05:00Z,,,,,,,");
    String tooLarge = csv.line("e10,bob,view,2026-11-23T11:05:00Z,,,,,,," + "x".repeat(100));
    String noUser = csv.line("e4,,view,2026-11-23T10:15:00Z,,,,,,,");
    String unknownType = csv.line("e5,bob,teleport,2026-11-23T10:15:00Z,,,,,,,");
    String badTime = csv.line("e6,bob,view,yesterday,,,,,,,");
    String badNumber = csv.line("e7,bob,purchase,2026-11-23T10:15:00Z,p3,,abc,EUR,,,");
    String negative = csv.line("e8,bob,purchase,2026-11-23T10:15:00Z,p3,,-1,EUR,,,");
    // Shares its event_id with a valid event, but a dead letter is not a duplicate.
    String noPrice = csv.line("e1,bob,purchase,2026-11-23T10:15:00Z,p3,,,EUR,,,");

    ProcessEvents.Result result = process(pipeline, InputFormat.CSV, csv);

    // Copies of e1 differ only in where they were read; the tie-break keeps the one that sorts first (line 2).
    PAssert.that(result.validEvents())
        .containsInAnyOrder(
            new Event(
                "e1",
                "alice",
                "view",
                java.time.Instant.parse("2026-11-23T10:15:30.123Z"),
                null,
                Arrays.asList(
                    "e1", "alice", "view", "2026-11-23T10:15:30.123Z", "p1", "shoes", null, null, "web", "DE", "s1"),
                firstCopy),
            new Event(
                "e2",
                "alice",
                "purchase",
                java.time.Instant.parse("2026-11-23T10:20:00Z"),
                new BigDecimal("9.99"),
                Arrays.asList(
                    "e2", "alice", "purchase", "2026-11-23T10:20:00Z", "p2", "books", "9.99", "EUR", "ios", "FR", "s2"),
                purchase),
            from(requiredOnly, event("e3", "bob", EventType.VIEW, "11:05:00")));
    PAssert.that(idsWithTimestamps(result.validEvents()))
        .containsInAnyOrder(
            "e1@2026-11-23T10:15:30.123Z", "e2@2026-11-23T10:20:00.000Z", "e3@2026-11-23T11:05:00.000Z");
    PAssert.that(result.counts())
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 1),
            count("10:00:00", "11:00:00", "alice", EventType.PURCHASE, 1),
            count("11:00:00", "12:00:00", "bob", EventType.VIEW, 1));
    PAssert.that(summaries(result.deadLetters()))
        .containsInAnyOrder(
            summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, tooFewColumns, "too,few,columns"),
            summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, blank, ""),
            summary(
                Stage.PARSE, ReasonCode.MALFORMED_RECORD, unbalancedQuote, "e9,bob,view,\"2026-11-23T11:05:00Z,,,,,,,"),
            summary(
                Stage.PARSE,
                ReasonCode.RECORD_TOO_LARGE,
                tooLarge,
                "e10,bob,view,2026-11-23T11:05:00Z,,,,,,," + "x".repeat(100)),
            summary(
                Stage.VALIDATE, ReasonCode.MISSING_REQUIRED_FIELD, noUser, "e4,,view,2026-11-23T10:15:00Z,,,,,,,"),
            summary(
                Stage.VALIDATE,
                ReasonCode.UNKNOWN_EVENT_TYPE,
                unknownType,
                "e5,bob,teleport,2026-11-23T10:15:00Z,,,,,,,"),
            summary(Stage.VALIDATE, ReasonCode.INVALID_TIMESTAMP, badTime, "e6,bob,view,yesterday,,,,,,,"),
            summary(
                Stage.VALIDATE,
                ReasonCode.INVALID_NUMBER,
                badNumber,
                "e7,bob,purchase,2026-11-23T10:15:00Z,p3,,abc,EUR,,,"),
            summary(
                Stage.VALIDATE,
                ReasonCode.NEGATIVE_PRICE,
                negative,
                "e8,bob,purchase,2026-11-23T10:15:00Z,p3,,-1,EUR,,,"),
            summary(
                Stage.VALIDATE,
                ReasonCode.PURCHASE_WITHOUT_PRICE,
                noPrice,
                "e1,bob,purchase,2026-11-23T10:15:00Z,p3,,,EUR,,,"));

    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertBookkeeping(run, 15, 3, 2, 10);
    assertEquals(
        expectedByReason(
            ReasonCode.MALFORMED_RECORD, 3,
            ReasonCode.RECORD_TOO_LARGE, 1,
            ReasonCode.MISSING_REQUIRED_FIELD, 1,
            ReasonCode.UNKNOWN_EVENT_TYPE, 1,
            ReasonCode.INVALID_TIMESTAMP, 1,
            ReasonCode.INVALID_NUMBER, 1,
            ReasonCode.NEGATIVE_PRICE, 1,
            ReasonCode.PURCHASE_WITHOUT_PRICE, 1),
        deadLettersByReason(run));
    assertEquals(3, counter(run, TallyMetrics.COUNT_ROWS));
  }

  @Test
  void mixedJsonLinesBatchEndsUpValidDuplicateOrDeadLetteredWithExactCounters(TestPipeline pipeline) {
    Input jsonl = new Input("in.jsonl");
    String login =
        "{\"event_id\":\"j1\",\"user_id\":\"carol\",\"event_type\":\"login\","
            + "\"event_time\":\"2026-11-23T08:00:00Z\"}";
    String firstLogin = jsonl.line(login);
    jsonl.line(login);
    String purchase =
        jsonl.line(
            "{\"event_id\":\"j2\",\"user_id\":\"carol\",\"event_type\":\"purchase\","
                + "\"event_time\":\"2026-11-23T08:30:00Z\",\"price\":\"0\"}");
    String invalidJson = jsonl.line("{\"event_id\":\"j3\",");
    String arrayRoot = jsonl.line("[\"j4\"]");
    String nested = jsonl.line("{\"event_id\":\"j5\",\"user_id\":{\"id\":\"carol\"}}");
    String missingType =
        jsonl.line("{\"event_id\":\"j6\",\"user_id\":\"carol\",\"event_time\":\"2026-11-23T08:00:00Z\"}");
    String wrongCase =
        jsonl.line(
            "{\"event_id\":\"j7\",\"user_id\":\"carol\",\"event_type\":\"Login\","
                + "\"event_time\":\"2026-11-23T08:00:00Z\"}");

    ProcessEvents.Result result = process(pipeline, InputFormat.JSONL, jsonl);

    PAssert.that(result.validEvents())
        .containsInAnyOrder(
            from(firstLogin, event("j1", "carol", EventType.LOGIN, "08:00:00")),
            from(purchase, TestEvents.purchase("j2", "carol", "08:30:00", "0")));
    PAssert.that(result.counts())
        .containsInAnyOrder(
            count("08:00:00", "09:00:00", "carol", EventType.LOGIN, 1),
            count("08:00:00", "09:00:00", "carol", EventType.PURCHASE, 1));
    PAssert.that(summaries(result.deadLetters()))
        .containsInAnyOrder(
            summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, invalidJson, "{\"event_id\":\"j3\","),
            summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, arrayRoot, "[\"j4\"]"),
            summary(
                Stage.PARSE,
                ReasonCode.MALFORMED_RECORD,
                nested,
                "{\"event_id\":\"j5\",\"user_id\":{\"id\":\"carol\"}}"),
            summary(
                Stage.VALIDATE,
                ReasonCode.MISSING_REQUIRED_FIELD,
                missingType,
                "{\"event_id\":\"j6\",\"user_id\":\"carol\",\"event_time\":\"2026-11-23T08:00:00Z\"}"),
            summary(
                Stage.VALIDATE,
                ReasonCode.UNKNOWN_EVENT_TYPE,
                wrongCase,
                "{\"event_id\":\"j7\",\"user_id\":\"carol\",\"event_type\":\"Login\","
                    + "\"event_time\":\"2026-11-23T08:00:00Z\"}"));

    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertBookkeeping(run, 8, 2, 1, 5);
    assertEquals(
        expectedByReason(
            ReasonCode.MALFORMED_RECORD, 3,
            ReasonCode.MISSING_REQUIRED_FIELD, 1,
            ReasonCode.UNKNOWN_EVENT_TYPE, 1),
        deadLettersByReason(run));
  }

  @Test
  void slidingWindowsCountEachUniqueEventInEveryWindowThatHoldsIt(TestPipeline pipeline) {
    Input csv = new Input("in.csv");
    csv.line("e1,alice,view,2026-11-23T10:15:00Z,,,,,,,");
    csv.line("e1,alice,view,2026-11-23T10:15:00Z,,,,,,,");
    csv.line("e2,alice,view,2026-11-23T10:45:00Z,,,,,,,");

    ProcessEvents.Result result =
        pipeline
            .apply(Create.of(csv.records()))
            .apply(
                new ProcessEvents(
                    InputFormat.CSV, MAX_BYTES, ONE_HOUR, Duration.standardMinutes(30), Duration.ZERO));

    PAssert.that(result.counts())
        .containsInAnyOrder(
            count("09:30:00", "10:30:00", "alice", EventType.VIEW, 1),
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 2),
            count("10:30:00", "11:30:00", "alice", EventType.VIEW, 1));
    PAssert.that(result.deadLetters()).empty();

    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertBookkeeping(run, 3, 2, 1, 0);
  }

  @Test
  void emptyInputGivesEmptyOutputsAndZeroCounters(TestPipeline pipeline) {
    ProcessEvents.Result result = process(pipeline, InputFormat.CSV, new Input("empty.csv"));

    PAssert.that(result.validEvents()).empty();
    PAssert.that(result.counts()).empty();
    PAssert.that(result.deadLetters()).empty();

    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertBookkeeping(run, 0, 0, 0, 0);
  }
  /** A late event within the allowed lateness is counted: it must survive de-duplication too. */
  @Test
  void lateEventWithinAllowedLatenessIsCountedAndBookkept(TestPipeline pipeline) {
    RawRecord onTime = RawRecord.of("e1,alice,view,2026-11-23T10:10:00Z,,,,,,,", "in.csv", 2);
    RawRecord late = RawRecord.of("e2,alice,view,2026-11-23T10:30:00Z,,,,,,,", "in.csv", 3);
    org.apache.beam.sdk.testing.TestStream<RawRecord> stream =
        org.apache.beam.sdk.testing.TestStream.create(RawRecord.RawRecordCoder.of())
            .addElements(org.apache.beam.sdk.values.TimestampedValue.of(onTime, Instant.parse("2026-11-23T10:10:00Z")))
            .advanceWatermarkTo(Instant.parse("2026-11-23T11:05:00Z"))
            .addElements(org.apache.beam.sdk.values.TimestampedValue.of(late, Instant.parse("2026-11-23T11:05:00Z")))
            .advanceWatermarkToInfinity();

    ProcessEvents.Result result =
        pipeline
            .apply(stream)
            .apply(new ProcessEvents(InputFormat.CSV, MAX_BYTES, ONE_HOUR, null, Duration.standardMinutes(10)));

    PAssert.that(result.counts())
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 1),
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 2));
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();
    assertBookkeeping(run, 2, 2, 0, 0);
  }

  /**
   * Ten lines of the public REES46 export (2019-Oct.csv, lines 2, 4, 15, 17, 164, 310, 333, 585, 605 and 620), as
   * written; a copy here, so the test needs no file outside the repository.
   */
  private static final String REES46_HEADER =
      "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";
  private static final String VIEW_AT_0 =
      "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,"
          + "72d76fde-8bb3-4e00-8c23-a032dfed738c";
  private static final String VIEW_NO_BRAND =
      "2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,"
          + "566511c2-e2e3-422b-b695-cf8e6e792ca8";
  private static final String VIEW_AGAIN_AT_15 =
      "2019-10-01 00:00:15 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,"
          + "72d76fde-8bb3-4e00-8c23-a032dfed738c";
  private static final String VIEW_NO_CATEGORY_NOR_BRAND =
      "2019-10-01 00:00:17 UTC,view,23100006,2053013561638126333,,,357.79,513642368,"
          + "17566c27-0a8f-4506-9f30-c6a2ccbf583b";
  private static final String PURCHASE_AT_2_14 =
      "2019-10-01 00:02:14 UTC,purchase,1004856,2053013555631882655,electronics.smartphone,samsung,130.76,"
          + "543272936,8187d148-3c41-46d4-b0c0-9c08cd9dc564";
  private static final String PURCHASE_AT_4_37 =
      "2019-10-01 00:04:37 UTC,purchase,1002532,2053013555631882655,electronics.smartphone,apple,642.69,"
          + "551377651,3c80f0d6-e9ec-4181-8c5c-837a30be2d68";
  private static final String CART_AT_5_14 =
      "2019-10-01 00:05:14 UTC,cart,5100816,2053013553375346967,,xiaomi,29.51,550121407,"
          + "6f623695-9581-4633-813f-825b8760c7ae";
  private static final String CART_AT_9_33 =
      "2019-10-01 00:09:33 UTC,cart,1002524,2053013555631882655,electronics.smartphone,apple,515.67,524325294,"
          + "0b74a829-f9d7-4654-b5b0-35bc9822c238";
  private static final String PURCHASE_AT_9_54 =
      "2019-10-01 00:09:54 UTC,purchase,4804056,2053013554658804075,electronics.audio.headphone,apple,161.98,"
          + "551377651,3c80f0d6-e9ec-4181-8c5c-837a30be2d68";
  private static final String PURCHASE_AT_10_08 =
      "2019-10-01 00:10:08 UTC,purchase,1002524,2053013555631882655,electronics.smartphone,apple,515.67,"
          + "524325294,0b74a829-f9d7-4654-b5b0-35bc9822c238";

  private static WindowedCount rees46Count(String start, String end, String userId, String type, long count) {
    return new WindowedCount(
        java.time.Instant.parse("2019-10-01T" + start + "Z"),
        java.time.Instant.parse("2019-10-01T" + end + "Z"),
        userId,
        type,
        count);
  }

  @Test
  void rees46ExportIsCountedWithoutDeduplicationAndCartCountsAsAddToCart(TestPipeline pipeline) {
    Input export = new Input("2019-Oct.csv", REES46_HEADER);
    for (String line :
        List.of(
            VIEW_AT_0,
            // The export has no event id: an identical line is another event, not a copy.
            VIEW_AT_0,
            VIEW_NO_BRAND,
            VIEW_AGAIN_AT_15,
            VIEW_NO_CATEGORY_NOR_BRAND,
            PURCHASE_AT_2_14,
            PURCHASE_AT_4_37,
            CART_AT_5_14,
            CART_AT_9_33,
            PURCHASE_AT_9_54,
            PURCHASE_AT_10_08)) {
      export.line(line);
    }
    // Two real lines made invalid: a purchase without its price, and a date that does not exist.
    String noPrice = PURCHASE_AT_2_14.replace(",130.76,", ",,");
    String noPriceSource = export.line(noPrice);
    String february30 = VIEW_AT_0.replace("2019-10-01", "2019-02-30");
    String february30Source = export.line(february30);

    ProcessEvents.Result result =
        pipeline
            .apply(Create.of(export.records()).withCoder(RawRecord.RawRecordCoder.of()))
            .apply(
                new ProcessEvents(
                    EventSchema.builtIn("rees46"),
                    ParseEvents.DEFAULT_MAX_RECORD_BYTES,
                    Duration.standardMinutes(5),
                    null,
                    Duration.ZERO));

    PAssert.that(result.counts())
        .containsInAnyOrder(
            rees46Count("00:00:00", "00:05:00", "541312140", "view", 3),
            rees46Count("00:00:00", "00:05:00", "519107250", "view", 1),
            rees46Count("00:00:00", "00:05:00", "513642368", "view", 1),
            rees46Count("00:00:00", "00:05:00", "543272936", "purchase", 1),
            rees46Count("00:00:00", "00:05:00", "551377651", "purchase", 1),
            rees46Count("00:05:00", "00:10:00", "550121407", "add_to_cart", 1),
            rees46Count("00:05:00", "00:10:00", "524325294", "add_to_cart", 1),
            rees46Count("00:05:00", "00:10:00", "551377651", "purchase", 1),
            rees46Count("00:10:00", "00:15:00", "524325294", "purchase", 1));
    // No event id in this schema; every valid event leaves stamped with its event time.
    PAssert.that(idsWithTimestamps(result.validEvents()))
        .containsInAnyOrder(
            "null@2019-10-01T00:00:00.000Z",
            "null@2019-10-01T00:00:00.000Z",
            "null@2019-10-01T00:00:01.000Z",
            "null@2019-10-01T00:00:15.000Z",
            "null@2019-10-01T00:00:17.000Z",
            "null@2019-10-01T00:02:14.000Z",
            "null@2019-10-01T00:04:37.000Z",
            "null@2019-10-01T00:05:14.000Z",
            "null@2019-10-01T00:09:33.000Z",
            "null@2019-10-01T00:09:54.000Z",
            "null@2019-10-01T00:10:08.000Z");
    PAssert.that(summaries(result.deadLetters()))
        .containsInAnyOrder(
            summary(Stage.VALIDATE, ReasonCode.PURCHASE_WITHOUT_PRICE, noPriceSource, noPrice),
            summary(Stage.VALIDATE, ReasonCode.INVALID_TIMESTAMP, february30Source, february30));

    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertBookkeeping(run, 13, 11, 0, 2);
    assertEquals(
        expectedByReason(ReasonCode.PURCHASE_WITHOUT_PRICE, 1, ReasonCode.INVALID_TIMESTAMP, 1),
        deadLettersByReason(run));
    assertEquals(9, counter(run, TallyMetrics.COUNT_ROWS));
  }
}
