package dev.tally.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.schema.EventSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Random lines and bytes through ParseEvents' and ValidateEvents' DoFns, called directly (thousands of records a
 * second): no exception escapes, and every record ends up exactly once, as a valid event or as a dead letter
 * carrying its exact payload and position. Text in a valid record is kept literally, whatever it holds. The
 * same accounting through a whole pipeline, with duplicates: {@link ProcessEventsAccountingPropertiesTest}.
 */
class ParseAndValidatePropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CATEGORY = 5; // default schema: event_id, user_id, event_type, event_time, product_id, category
  private static final int DATABASE = 6; // db-actions: ..., rows_affected, database

  @Property
  void anyTextInAnySchemaEndsUpExactlyOnce(
      @ForAll("schemas") EventSchema schema, @ForAll("lines") String payload, @ForAll boolean withHeader) {
    RawRecord record = new RawRecord(payload, "events-0", 12, withHeader ? schema.csvHeader() : null);
    Outcome outcome = Outcome.of(schema, record);
    assertEquals(1, outcome.valid.size() + outcome.deadLetters.size(), outcome.toString());
    for (DeadLetter letter : outcome.deadLetters) {
      assertEquals(payload, letter.raw());
      assertEquals("events-0:12", letter.source());
    }
    for (Event event : outcome.valid) {
      assertEquals("events-0:12", event.source());
    }
  }

  @Property
  void anyBytesDecodedAsKafkaDoesEndUpExactlyOnce(
      @ForAll("schemas") EventSchema schema, @ForAll("bytes") byte[] value) {
    String payload = new String(value, StandardCharsets.UTF_8);
    Outcome outcome = Outcome.of(schema, RawRecord.of(payload, "events-3", 7));
    assertEquals(1, outcome.valid.size() + outcome.deadLetters.size(), outcome.toString());
  }

  @Property
  void aValidCsvRecordKeepsItsTextLiterally(@ForAll("storableText") String text) {
    String line = "e1,u1,search,2026-11-23T10:15:30Z,p1," + quoted(text) + ",,,,,";
    Outcome outcome = Outcome.of(EventSchema.defaultSchema(), RawRecord.of(line, "events-0", 1));
    assertEquals(List.of(), outcome.deadLetters);
    assertEquals(text, outcome.valid.get(0).value(CATEGORY));
  }

  @Property
  void aValidJsonRecordKeepsItsTextLiterally(@ForAll("storableText") String text) throws JsonProcessingException {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("action_id", "a1");
    object.put("user_email", "dba001@example.com");
    object.put("timestamp", 1764022530);
    object.put("action", "SELECT");
    object.put("table_name", "orders");
    object.put("database", text);
    Outcome outcome =
        Outcome.of(EventSchema.builtIn("db-actions"), RawRecord.of(JSON.writeValueAsString(object), "actions-0", 1));
    assertEquals(List.of(), outcome.deadLetters);
    assertEquals(text, outcome.valid.get(0).value(DATABASE));
  }

  @Property
  void nearlyValidCsvRecordsEndUpExactlyOnce(@ForAll("nearlyValidCsv") String line) {
    Outcome outcome = Outcome.of(EventSchema.defaultSchema(), RawRecord.of(line, "events-0", 1));
    assertEquals(1, outcome.valid.size() + outcome.deadLetters.size(), outcome.toString());
  }

  @Property
  void nearlyValidJsonRecordsEndUpExactlyOnce(@ForAll("nearlyValidJson") String line) {
    Outcome outcome = Outcome.of(EventSchema.builtIn("db-actions"), RawRecord.of(line, "actions-0", 1));
    assertEquals(1, outcome.valid.size() + outcome.deadLetters.size(), outcome.toString());
  }

  @Provide
  Arbitrary<EventSchema> schemas() {
    return Arbitraries.of(EventSchema.BUILT_IN).map(EventSchema::builtIn);
  }

  @Provide
  Arbitrary<String> lines() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(200),
        Arbitraries.strings().withChars(",\"'{}[]:\\ \t\r\n\u0000\uFEFF\uFFFD0123456789eE.-+ZT").ofMaxLength(80),
        nearlyValidCsv(),
        nearlyValidJson());
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  /** Text a valid record may carry: anything but NUL, undecodable input (U+FFFD) or a lone surrogate. */
  @Provide
  Arbitrary<String> storableText() {
    return Arbitraries.oneOf(
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(100),
            Arbitraries.of(Tokens.INJECTIONS))
        .filter(text -> text.indexOf('\u0000') < 0 && text.indexOf('\uFFFD') < 0 && isWellFormed(text));
  }

  /** Eleven fields from interesting values, random text and delimiters: many reach validation. */
  @Provide
  Arbitrary<String> nearlyValidCsv() {
    Arbitrary<String> field =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.of(Tokens.VALUES)),
            net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(12)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(Tokens.VALUES).map(ParseAndValidatePropertiesTest::quoted)));
    return Combinators.combine(field.list().ofMinSize(9).ofMaxSize(13), Arbitraries.of(Tokens.TYPES))
        .as((fields, type) -> {
          List<String> columns = new ArrayList<>(fields);
          columns.set(2, type);
          return String.join(",", columns);
        });
  }

  /** db-actions objects whose values are interesting scalars, wrong types, nested values or absent. */
  @Provide
  Arbitrary<String> nearlyValidJson() {
    Arbitrary<Object> value =
        Arbitraries.oneOf(
            Arbitraries.of(Tokens.VALUES).map(v -> (Object) v),
            Arbitraries.of(1764022530, -1, 0, 1.5e300, Long.MAX_VALUE, true).map(v -> (Object) v),
            Arbitraries.of(List.of(), List.of("SELECT"), Map.of("a", 1)).map(v -> (Object) v),
            Arbitraries.just(null));
    List<String> keys = List.of("action_id", "user_email", "timestamp", "action", "table_name", "rows_affected", "x");
    return value.list().ofSize(keys.size()).map(values -> {
      Map<String, Object> object = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        object.put(keys.get(i), values.get(i));
      }
      try {
        return JSON.writeValueAsString(object);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }

  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** What the two DoFns output for one record. */
  static final class Outcome {
    final List<Event> valid = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();

    static Outcome of(EventSchema schema, RawRecord record) {
      Outcome outcome = new Outcome();
      Outputs parsed = new Outputs();
      ParseEvents.ParseFn parse = new ParseEvents.ParseFn(schema, ParseEvents.DEFAULT_MAX_RECORD_BYTES);
      parse.setup();
      parse.processElement(record, parsed);
      outcome.deadLetters.addAll(parsed.all(ParseEvents.DEAD_LETTERS));
      for (ParsedRecord fields : parsed.all(ParseEvents.PARSED)) {
        Outputs validated = new Outputs();
        new ValidateEvents.ValidateFn(schema).processElement(fields, validated);
        outcome.valid.addAll(validated.all(ValidateEvents.VALID));
        outcome.deadLetters.addAll(validated.all(ValidateEvents.DEAD_LETTERS));
      }
      return outcome;
    }

    @Override
    public String toString() {
      return "valid " + valid + ", dead letters " + deadLetters;
    }
  }

  /** A MultiOutputReceiver that keeps what each tag received. */
  private static final class Outputs implements DoFn.MultiOutputReceiver {
    private final Map<TupleTag<?>, List<Object>> received = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    <T> List<T> all(TupleTag<T> tag) {
      return (List<T>) received.getOrDefault(tag, List.of());
    }

    @Override
    public <T> DoFn.OutputReceiver<T> get(TupleTag<T> tag) {
      List<Object> list = received.computeIfAbsent(tag, t -> new ArrayList<>());
      return new DoFn.OutputReceiver<>() {
        @Override
        public void output(T value) {
          list.add(value);
        }

        @Override
        public void outputWithTimestamp(T value, Instant timestamp) {
          list.add(value);
        }
      };
    }

    @Override
    public <T> DoFn.OutputReceiver<Row> getRowReceiver(TupleTag<T> tag) {
      throw new UnsupportedOperationException("Tally's DoFns output no rows");
    }
  }
}
