package dev.tally.transforms;

import static dev.tally.transforms.TestEvents.fields;
import static dev.tally.transforms.TestEvents.messages;
import static dev.tally.transforms.TestEvents.summaries;
import static dev.tally.transforms.TestEvents.summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.model.DeadLetter;
import dev.tally.model.EventField;
import dev.tally.model.InputFormat;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.testing.TestPipelineExtension;
import java.math.BigDecimal;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(TestPipelineExtension.class)
class ParseEventsTest {
  private static final String CSV_FILE = "/data/events-00000.csv";
  private static final String JSON_FILE = "/data/events-00000.jsonl";

  private static WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> parse(
      TestPipeline pipeline, ParseEvents parse, List<RawRecord> records) {
    return pipeline.apply(Create.of(records)).apply(parse);
  }

  // --- CSV ---

  @Test
  void csvWithoutHeaderIsReadInTheDefaultColumnOrder(TestPipeline pipeline) {
    RawRecord full =
        RawRecord.of("e1,u1,purchase,2026-11-23T10:15:30.123Z,p1,shoes,12.50,EUR,web,DE,s1", CSV_FILE, 2);
    RawRecord requiredOnly = RawRecord.of("e2,u2,view,2026-11-23T10:16:00Z,,,,,,,", CSV_FILE, 3);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.CSV), List.of(full, requiredOnly));

    PAssert.that(result.output())
        .containsInAnyOrder(
            new ParsedRecord(
                full,
                List.of(
                    "e1", "u1", "purchase", "2026-11-23T10:15:30.123Z", "p1", "shoes", "12.50", "EUR", "web", "DE",
                    "s1")),
            fields("e2", "u2", "view", "2026-11-23T10:16:00Z").of(requiredOnly));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void csvHeaderMayOrderColumnsFreelyAndCarryExtraOnes(TestPipeline pipeline) {
    RawRecord reordered =
        new RawRecord(
            "alice,x,2026-11-23T10:15:30.123Z,view,e1,12.50",
            "/data/a.csv",
            2,
            "user_id,extra,event_time,event_type,event_id,price");
    RawRecord paddedNames =
        new RawRecord(
            "\"2026-11-23T11:00:00Z\",e2,bob,login,ios,more,data",
            "/data/b.csv",
            5,
            " event_time ,event_id,user_id , event_type,device,note,notes");

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.CSV), List.of(reordered, paddedNames));

    PAssert.that(result.output())
        .containsInAnyOrder(
            fields("e1", "alice", "view", "2026-11-23T10:15:30.123Z")
                .with(EventField.PRICE, "12.50")
                .of(reordered),
            fields("e2", "bob", "login", "2026-11-23T11:00:00Z").with(EventField.DEVICE, "ios").of(paddedNames));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void quotedCsvFieldsMayHoldCommasAndQuotes(TestPipeline pipeline) {
    RawRecord quoted =
        RawRecord.of(
            "e1,u1,view,2026-11-23T10:15:30Z,p1,\"shoes, boots\",,,\"say \"\"hi\"\"\",\"Paris, FR\",\"\"",
            CSV_FILE,
            9);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.CSV), List.of(quoted));

    PAssert.that(result.output())
        .containsInAnyOrder(
            fields("e1", "u1", "view", "2026-11-23T10:15:30Z")
                .with(EventField.PRODUCT_ID, "p1")
                .with(EventField.CATEGORY, "shoes, boots")
                .with(EventField.DEVICE, "say \"hi\"")
                .with(EventField.LOCATION, "Paris, FR")
                .of(quoted));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  static Stream<Arguments> malformedCsvLines() {
    return Stream.of(
        Arguments.of("too few columns", "too,few,columns", Message.exactly("expected 11 columns, found 3")),
        Arguments.of(
            "too many columns",
            "e1,u1,view,2026-11-23T10:15:30Z,,,,,,,,extra",
            Message.exactly("expected 11 columns, found 12")),
        Arguments.of("one column", "e1", Message.exactly("expected 11 columns, found 1")),
        Arguments.of(
            "unbalanced quote",
            "e1,u1,view,\"2026-11-23T10:15:30Z,,,,,,,",
            Message.startingWith("not valid CSV: ")),
        Arguments.of(
            "text after a closing quote",
            "e1,\"u1\"x,view,2026-11-23T10:15:30Z,,,,,,,",
            Message.startingWith("not valid CSV: ")),
        Arguments.of("empty line", "", Message.exactly("blank line")),
        Arguments.of("whitespace-only line", "  \t ", Message.exactly("blank line")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedCsvLines")
  void malformedCsvLineIsDeadLetteredWithItsRawTextAndPosition(
      String caseName, String line, Message expectedMessage, TestPipeline pipeline) {
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.CSV), List.of(RawRecord.of(line, CSV_FILE, 17)));

    PAssert.that(result.output()).empty();
    PAssert.that(summaries(result.failures()))
        .containsInAnyOrder(summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, CSV_FILE + ":17", line));
    assertMessage(result.failures(), expectedMessage);
    pipeline.run();
  }

  @Test
  void everyRecordUnderAHeaderWithoutUserIdIsMalformed(TestPipeline pipeline) {
    String header = "event_id,event_type,event_time";
    RawRecord first = new RawRecord("e1,view,2026-11-23T10:15:30Z", "/data/c.csv", 2, header);
    RawRecord second = new RawRecord("e2,login,2026-11-23T10:16:30Z", "/data/c.csv", 3, header);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.CSV), List.of(first, second));

    PAssert.that(result.output()).empty();
    String message = "the file's CSV header has no column user_id: header is 'event_id,event_type,event_time'";
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            "/data/c.csv:2|MALFORMED_RECORD|" + message, "/data/c.csv:3|MALFORMED_RECORD|" + message);
    PAssert.that(summaries(result.failures()))
        .containsInAnyOrder(
            summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, "/data/c.csv:2", "e1,view,2026-11-23T10:15:30Z"),
            summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, "/data/c.csv:3", "e2,login,2026-11-23T10:16:30Z"));
    pipeline.run();
  }

  @Test
  void aHeaderNamingAColumnTwiceIsMalformed(TestPipeline pipeline) {
    RawRecord record =
        new RawRecord(
            "e1,u1,view,2026-11-23T10:15:30Z,u2", "/data/d.csv", 2, "event_id,user_id,event_type,event_time,user_id");

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.CSV), List.of(record));

    PAssert.that(result.output()).empty();
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            "/data/d.csv:2|MALFORMED_RECORD|the file's CSV header names column user_id twice");
    pipeline.run();
  }

  // --- JSON Lines ---

  @Test
  void jsonLinesWithEveryFieldAsText(TestPipeline pipeline) {
    RawRecord full =
        RawRecord.of(
            "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_type\":\"purchase\","
                + "\"event_time\":\"2026-11-23T10:15:30.123Z\",\"product_id\":\"p1\",\"category\":\"shoes\","
                + "\"price\":\"12.50\",\"currency\":\"EUR\",\"device\":\"web\",\"location\":\"DE\","
                + "\"session_id\":\"s1\"}",
            JSON_FILE,
            1);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.JSONL), List.of(full));

    PAssert.that(result.output())
        .containsInAnyOrder(
            new ParsedRecord(
                full,
                List.of(
                    "e1", "u1", "purchase", "2026-11-23T10:15:30.123Z", "p1", "shoes", "12.50", "EUR", "web", "DE",
                    "s1")));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void jsonLinesAbsentNullAndEmptyFieldsAreNullAndUnknownKeysIgnored(TestPipeline pipeline) {
    RawRecord sparse =
        RawRecord.of(
            "{\"session_id\":\"\",\"event_time\":\"2026-11-23T10:16:00Z\",\"event_type\":\"view\","
                + "\"user_id\":\"u2\",\"event_id\":\"e2\",\"device\":null,\"extra\":{\"nested\":[1,2]}}",
            JSON_FILE,
            2);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.JSONL), List.of(sparse));

    PAssert.that(result.output())
        .containsInAnyOrder(fields("e2", "u2", "view", "2026-11-23T10:16:00Z").of(sparse));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void jsonLinesNumbersAndBooleansAreReadAsTheirText(TestPipeline pipeline) {
    RawRecord integerPrice =
        RawRecord.of(
            "{\"event_id\":42,\"user_id\":\"u3\",\"event_type\":\"purchase\","
                + "\"event_time\":\"2026-11-23T10:17:00Z\",\"price\":12,\"device\":true}",
            JSON_FILE,
            3);
    RawRecord decimalPrice =
        RawRecord.of(
            "{\"event_id\":\"e4\",\"user_id\":\"u4\",\"event_type\":\"purchase\","
                + "\"event_time\":\"2026-11-23T10:18:00Z\",\"price\":9.99}",
            JSON_FILE,
            4);
    RawRecord exponentPrice =
        RawRecord.of(
            "{\"event_id\":\"e5\",\"user_id\":\"u5\",\"event_type\":\"purchase\","
                + "\"event_time\":\"2026-11-23T10:19:00Z\",\"price\":1.5E2}",
            JSON_FILE,
            5);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.JSONL), List.of(integerPrice, decimalPrice, exponentPrice));

    PAssert.that(result.output())
        .containsInAnyOrder(
            fields("42", "u3", "purchase", "2026-11-23T10:17:00Z")
                .with(EventField.PRICE, "12")
                .with(EventField.DEVICE, "true")
                .of(integerPrice),
            fields("e4", "u4", "purchase", "2026-11-23T10:18:00Z").with(EventField.PRICE, "9.99").of(decimalPrice),
            fields("e5", "u5", "purchase", "2026-11-23T10:19:00Z").with(EventField.PRICE, "1.5E+2").of(exponentPrice));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void jsonNumbersBeyondADoubleReachValidationAsInfinityNotACrash(TestPipeline pipeline) {
    RawRecord huge =
        RawRecord.of(
            "{\"event_id\":\"e7\",\"user_id\":\"u7\",\"event_type\":\"view\","
                + "\"event_time\":\"2026-11-23T10:21:00Z\",\"price\":1e400}",
            JSON_FILE,
            7);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.JSONL), List.of(huge));

    PAssert.that(result.output())
        .containsInAnyOrder(
            fields("e7", "u7", "view", "2026-11-23T10:21:00Z").with(EventField.PRICE, "Infinity").of(huge));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  @Test
  void jsonLinesNumericPriceKeepsItsExactDecimalValue(TestPipeline pipeline) {
    String line =
        "{\"event_id\":\"e6\",\"user_id\":\"u6\",\"event_type\":\"purchase\","
            + "\"event_time\":\"2026-11-23T10:20:00Z\",\"price\":12.50}";

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.JSONL), List.of(RawRecord.of(line, JSON_FILE, 6)));

    // Never through a double, and as written: 12.50, like the same value in CSV.
    PAssert.that(result.output())
        .containsInAnyOrder(
            fields("e6", "u6", "purchase", "2026-11-23T10:20:00Z")
                .with(EventField.PRICE, "12.50")
                .of(RawRecord.of(line, JSON_FILE, 6)));
    PAssert.that(result.failures()).empty();
    pipeline.run();
  }

  static Stream<Arguments> malformedJsonLines() {
    String valid =
        "\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_type\":\"view\","
            + "\"event_time\":\"2026-11-23T10:15:30Z\"";
    return Stream.of(
        Arguments.of("invalid JSON", "{\"event_id\":\"e1\",", Message.startingWith("not valid JSON: ")),
        Arguments.of(
            "not JSON at all", "e1,u1,view,2026-11-23T10:15:30Z,,,,,,,", Message.startingWith("not valid JSON: ")),
        Arguments.of("array root", "[{" + valid + "}]", Message.exactly("expected a JSON object")),
        Arguments.of("string root", "\"e1\"", Message.exactly("expected a JSON object")),
        Arguments.of("null root", "null", Message.exactly("expected a JSON object")),
        Arguments.of(
            "nested object field",
            "{\"event_id\":\"e1\",\"user_id\":{\"id\":\"u1\"},\"event_type\":\"view\","
                + "\"event_time\":\"2026-11-23T10:15:30Z\"}",
            Message.exactly("field user_id must be a single value, not an object")),
        Arguments.of(
            "array field",
            "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"event_type\":[\"view\"],"
                + "\"event_time\":\"2026-11-23T10:15:30Z\"}",
            Message.exactly("field event_type must be a single value, not an array")),
        Arguments.of(
            "duplicate key",
            "{" + valid + ",\"event_id\":\"e2\"}",
            Message.exactly("not valid JSON: Duplicate field 'event_id'")),
        Arguments.of("trailing garbage", "{" + valid + "} x", Message.startingWith("not valid JSON: ")),
        Arguments.of(
            "two objects on one line", "{" + valid + "}{" + valid + "}", Message.startingWith("not valid JSON: ")),
        Arguments.of("blank line", " ", Message.exactly("blank line")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedJsonLines")
  void malformedJsonLineIsDeadLetteredWithItsRawTextAndPosition(
      String caseName, String line, Message expectedMessage, TestPipeline pipeline) {
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(pipeline, new ParseEvents(InputFormat.JSONL), List.of(RawRecord.of(line, JSON_FILE, 31)));

    PAssert.that(result.output()).empty();
    PAssert.that(summaries(result.failures()))
        .containsInAnyOrder(summary(Stage.PARSE, ReasonCode.MALFORMED_RECORD, JSON_FILE + ":31", line));
    assertMessage(result.failures(), expectedMessage);
    pipeline.run();
  }

  // --- Size limit ---

  @Test
  void sizeLimitIsCountedInUtf8BytesAndARecordAtTheLimitPasses(TestPipeline pipeline) {
    String atLimit = "e1,u1,view,2026-11-23T10:15:30Z,,,,,,東京,";
    int limit = utf8Bytes(atLimit);
    String oneByteOver = "e10,u1,view,2026-11-23T10:15:30Z,,,,,,東京,";
    // Fewer chars than the limit, but two bytes over it: é is 2 bytes of UTF-8.
    String overInBytesOnly = "e1,u1,view,2026-11-23T10:15:30Z,,,,,,東京é,";
    assertTrue(overInBytesOnly.length() < limit);
    RawRecord passes = RawRecord.of(atLimit, CSV_FILE, 2);

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(
            pipeline,
            new ParseEvents(InputFormat.CSV, limit),
            List.of(passes, RawRecord.of(oneByteOver, CSV_FILE, 3), RawRecord.of(overInBytesOnly, CSV_FILE, 4)));

    PAssert.that(result.output())
        .containsInAnyOrder(
            fields("e1", "u1", "view", "2026-11-23T10:15:30Z").with(EventField.LOCATION, "東京").of(passes));
    PAssert.that(summaries(result.failures()))
        .containsInAnyOrder(
            summary(Stage.PARSE, ReasonCode.RECORD_TOO_LARGE, CSV_FILE + ":3", oneByteOver),
            summary(Stage.PARSE, ReasonCode.RECORD_TOO_LARGE, CSV_FILE + ":4", overInBytesOnly));
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            CSV_FILE + ":3|RECORD_TOO_LARGE|record has " + (limit + 1) + " bytes, more than the limit of " + limit
                + " bytes",
            CSV_FILE + ":4|RECORD_TOO_LARGE|record has " + (limit + 2) + " bytes, more than the limit of " + limit
                + " bytes");
    pipeline.run();
  }

  @Test
  void sizeIsCheckedBeforeAnythingElse(TestPipeline pipeline) {
    String blank = " ".repeat(11);
    String garbage = "{\"not\": [json";

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(
            pipeline,
            new ParseEvents(InputFormat.JSONL, 10),
            List.of(RawRecord.of(blank, JSON_FILE, 1), RawRecord.of(garbage, JSON_FILE, 2)));

    PAssert.that(result.output()).empty();
    PAssert.that(summaries(result.failures()))
        .containsInAnyOrder(
            summary(Stage.PARSE, ReasonCode.RECORD_TOO_LARGE, JSON_FILE + ":1", blank),
            summary(Stage.PARSE, ReasonCode.RECORD_TOO_LARGE, JSON_FILE + ":2", garbage));
    pipeline.run();
  }

  @Test
  void defaultLimitIsOneMebibyte(TestPipeline pipeline) {
    String prefix = "e1,u1,view,2026-11-23T10:15:30Z,,,,,,";
    int padding = 1024 * 1024 - utf8Bytes(prefix) - 1;
    String exactlyOneMiB = prefix + "x".repeat(padding) + ",";
    String oneByteMore = prefix + "x".repeat(padding + 1) + ",";
    assertEquals(ParseEvents.DEFAULT_MAX_RECORD_BYTES, utf8Bytes(exactlyOneMiB));

    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(
            pipeline,
            new ParseEvents(InputFormat.CSV),
            List.of(RawRecord.of(exactlyOneMiB, CSV_FILE, 1), RawRecord.of(oneByteMore, CSV_FILE, 2)));

    PAssert.that(sources(result.output())).containsInAnyOrder(CSV_FILE + ":1");
    PAssert.that(messages(result.failures()))
        .containsInAnyOrder(
            CSV_FILE + ":2|RECORD_TOO_LARGE|record has 1048577 bytes, more than the limit of 1048576 bytes");
    pipeline.run();
  }

  @Test
  void limitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ParseEvents(InputFormat.CSV, 0));
    assertThrows(IllegalArgumentException.class, () -> new ParseEvents(InputFormat.JSONL, -1));
  }

  // --- Metrics ---

  @Test
  void readCounterCountsEveryRecordWhateverItsOutcome(TestPipeline pipeline) {
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> result =
        parse(
            pipeline,
            new ParseEvents(InputFormat.CSV, 100),
            List.of(
                RawRecord.of("e1,u1,view,2026-11-23T10:15:30Z,,,,,,,", CSV_FILE, 2),
                RawRecord.of("bad", CSV_FILE, 3),
                RawRecord.of("", CSV_FILE, 4),
                RawRecord.of("x".repeat(101), CSV_FILE, 5)));
    PAssert.that(sources(result.output())).containsInAnyOrder(CSV_FILE + ":2");

    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertEquals(4, TestEvents.counter(run, TallyMetrics.READ));
  }

  private static int utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static PCollection<String> sources(PCollection<ParsedRecord> parsed) {
    return parsed.apply(
        "Sources",
        MapElements.into(TypeDescriptors.strings())
            .via((ParsedRecord record) -> record.raw().sourcePosition()));
  }

  /** What a dead letter's message must be: exactly a text, or (for library messages) start with one. */
  record Message(String text, boolean exact) implements Serializable {
    static Message exactly(String text) {
      return new Message(text, true);
    }

    static Message startingWith(String prefix) {
      return new Message(prefix, false);
    }

    void check(String message) {
      if (exact) {
        assertEquals(text, message);
      } else {
        assertTrue(message.startsWith(text) && message.length() > text.length(), message);
      }
    }

    @Override
    public String toString() {
      return (exact ? "" : "starts with ") + "'" + text + "'";
    }
  }

  private static void assertMessage(PCollection<DeadLetter> letters, Message expected) {
    PAssert.thatSingleton("message", letters)
        .satisfies(
            letter -> {
              expected.check(letter.message());
              assertNotNull(letter.failedAt());
              return null;
            });
  }
}
