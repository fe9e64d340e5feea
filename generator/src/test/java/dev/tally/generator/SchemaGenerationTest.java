package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.schema.EventSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the schema decides about the generated records, schema by schema (the pipeline check is elsewhere). */
class SchemaGenerationTest {
  private static final DateTimeFormatter REES46_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @TempDir Path tmp;

  @Test
  void rees46RecordsCarryItsMappingSecondsAndNumericUsers() {
    GeneratorConfig config =
        GeneratorConfig.builder().schema(EventSchema.builtIn("rees46")).output(tmp.toString()).events(5000)
            .duplicateRate(0.05).build();
    assertEquals(300, config.users(), "the schema's generator.users");
    assertEquals(0.0, config.writtenDuplicateRate());
    List<GeneratedRecord> records = EventGenerator.records(config);

    Set<String> users = new HashSet<>();
    for (GeneratedRecord record : records) {
      assertTrue(record.kind() != RecordKind.DUPLICATE, "no duplicates without an event id");
      if (!record.isUniqueValid()) {
        continue;
      }
      String[] columns = record.line().split(",", -1);
      assertEquals(9, columns.length, record.line());
      assertNull(record.eventId());
      // Whole seconds: what the pipeline reads back from "2026-11-23 05:07:31 UTC".
      assertEquals(0, record.eventTime().getNano(), record.line());
      assertEquals(REES46_TIME.format(record.eventTime()), columns[0]);
      assertEquals(record.eventType().equals("add_to_cart") ? "cart" : record.eventType(), columns[1]);
      assertTrue(record.userId().matches("5\\d{8}"), record.userId());
      assertEquals(record.userId(), columns[7]);
      if (record.eventType().equals("purchase")) {
        assertNotNull(record.price(), record.line());
      }
      if (record.price() != null) {
        assertEquals(record.price().toPlainString(), columns[6]);
        assertTrue(record.price().compareTo(new BigDecimal("2.00")) >= 0, record.line());
        assertTrue(record.price().compareTo(new BigDecimal("1800.00")) <= 0, record.line());
      }
      users.add(record.userId());
    }
    assertTrue(users.size() > 250 && users.size() <= 300, "distinct users " + users.size());
    Map<String, Long> types = records.stream().filter(GeneratedRecord::isUniqueValid)
        .collect(Collectors.groupingBy(GeneratedRecord::eventType, Collectors.counting()));
    assertEquals(Set.of("view", "add_to_cart", "remove_from_cart", "purchase"), types.keySet());
    // generator.eventTypes: view 95, cart 3, remove_from_cart 1, purchase 1.
    long valid = types.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(0.95, types.get("view") / (double) valid, 0.01);
  }

  @Test
  void cardTransactionsPriceOnlyTheTypesThatCarryOne() {
    GeneratorConfig config =
        GeneratorConfig.builder().schema(EventSchema.builtIn("card-transactions")).output(tmp.toString())
            .events(4000).build();
    int declines = 0;
    for (GeneratedRecord record : EventGenerator.records(config)) {
      if (!record.isUniqueValid()) {
        continue;
      }
      String[] columns = record.line().split(";", -1);
      assertEquals(8, columns.length, record.line());
      assertTrue(columns[1].matches("C\\d{6}"), record.line());
      switch (record.eventType()) {
        case "capture":
        case "refund":
          // requiredFor: always priced.
          assertNotNull(record.price(), record.line());
          break;
        case "decline":
          // Not in generator.price.eventTypes.
          assertNull(record.price(), record.line());
          assertEquals("", columns[4], record.line());
          declines++;
          break;
        default:
          assertEquals("authorization", record.eventType());
      }
      assertTrue(columns[7].isEmpty() || Integer.parseInt(columns[7]) >= 1000, record.line());
    }
    assertTrue(declines > 300, "declines " + declines);
  }

  @Test
  void aSchemaWhoseRulesTheHintsCannotMeetIsRefusedBeforeWriting() throws IOException {
    Path schema = tmp.resolve("codes.json");
    Files.writeString(schema, """
        {"name": "codes",
         "fields": [
           {"name": "user_id", "type": "string", "required": true},
           {"name": "kind", "type": "enum", "required": true, "values": ["a", "b"]},
           {"name": "at", "type": "timestamp", "required": true},
           {"name": "code", "type": "string", "pattern": "[A-Z]{3}"}],
         "roles": {"user": "user_id", "eventType": "kind", "eventTime": "at"}}
        """);
    Path out = tmp.resolve("out");
    GeneratorConfig config = GeneratorConfig.builder().schema(EventSchema.load(schema.toString())).outputDir(out).build();

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> EventGenerator.write(config));
    assertEquals("the generator cannot make valid values for field code (code 'code-1' does not match the pattern"
        + " [A-Z]{3}): give it a \"generate\" hint whose values the field accepts", refused.getMessage());
    assertFalse(Files.exists(out), "nothing is written");
  }

  @Test
  void aHeaderlessSchemaWritesRecordsFromLineOneWithDistinctNumericIds() throws IOException {
    GeneratorConfig config =
        GeneratorConfig.builder().schema(EventSchema.load(headerlessSchema(tmp).toString()))
            .outputDir(tmp.resolve("out")).events(3000).invalidRate(0.1).build();
    GeneratedData data = EventGenerator.generate(config);

    List<String> lines = Files.readAllLines(Path.of(data.files().get(0)));
    assertEquals(3000, lines.size(), "no header line");
    assertEquals(1, data.records().get(0).lineNumber());
    assertEquals(lines.get(0), data.records().get(0).line());
    assertEquals(List.of("malformed_record", "missing_required_field", "unknown_event_type", "invalid_timestamp",
        "invalid_number"), data.manifest().config().injectedReasons());
    Set<String> ids = new HashSet<>();
    for (GeneratedRecord record : data.records()) {
      if (record.isUniqueValid()) {
        assertTrue(record.eventId().matches("\\d+"), record.line());
        assertTrue(ids.add(record.eventId()), record.line());
        assertTrue(record.line().startsWith(record.eventId() + "|"), record.line());
      }
    }
  }

  @Test
  void toBuilderKeepsUsersAndFormatUntilReset() {
    GeneratorConfig rees46 = GeneratorConfig.builder().schema(EventSchema.builtIn("rees46")).build();
    GeneratorConfig kept = rees46.toBuilder().schema(EventSchema.builtIn("db-actions")).build();
    assertEquals(300, kept.users());
    assertEquals(OutputFormat.CSV, kept.format());
    GeneratorConfig reset = kept.toBuilder().users(null).format(null).schema(EventSchema.builtIn("db-actions")).build();
    assertEquals(120, reset.users());
    assertEquals(OutputFormat.JSONL, reset.format());
  }

  /**
   * A layout none of the built-in schemas has: no header, '|' and single quotes, a long event id, no price (so
   * invalid numbers go in the event id) and a string field without hints.
   */
  static Path headerlessSchema(Path dir) throws IOException {
    Path schema = dir.resolve("headerless.json");
    Files.writeString(schema, """
        {"name": "headerless",
         "format": {"type": "csv", "delimiter": "|", "quote": "'", "header": false},
         "fields": [
           {"name": "seq", "type": "long", "required": true, "min": 0},
           {"name": "who", "type": "string", "required": true},
           {"name": "what", "type": "enum", "required": true, "values": ["open", "close", "Open"]},
           {"name": "at", "type": "timestamp", "required": true, "format": "epoch_millis"},
           {"name": "note", "type": "string"}],
         "roles": {"eventId": "seq", "user": "who", "eventType": "what", "eventTime": "at"},
         "eventTypeMapping": {"Open": "open"},
         "generator": {"users": 40, "userFormat": "u%02d", "eventTypes": {"open": 3, "close": 2, "Open": 1}}}
        """);
    return schema;
  }
}
