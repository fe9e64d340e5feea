package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.pipelines.io.ParquetFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises a user with a new layout: write one schema file, pass {@code --schema=FILE}, and the
 * batch pipeline counts, types and dead-letters that layout with no code change. Runs on Spark local[2].
 */
class SchemaFileTest {
  /**
   * The README's example schema, read from the README itself so that the documented file is the tested one:
   * pipe-separated, no header line, epoch seconds, its own event names, an amount needed for payments.
   */
  private static final String KIOSK_SCHEMA = readmeExample();

  private static String readmeExample() {
    try {
      // Surefire runs in the pipelines module: its parent is the repository.
      String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
      int section = readme.indexOf("## Schema files");
      int start = readme.indexOf("```json\n", section) + "```json\n".length();
      return readme.substring(start, readme.indexOf("```", start));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @TempDir Path dir;

  @Test
  void aNewLayoutIsCountedAndDeadLetteredFromItsSchemaFileAlone() throws Exception {
    Path schema = Files.writeString(dir.resolve("kiosk.json"), KIOSK_SCHEMA);
    Path input = Files.createDirectories(dir.resolve("in")).resolve("kiosk.txt");
    // 1764064800 = 2025-11-25T10:00:00Z
    Files.writeString(
        input,
        String.join(
            "\n",
            "1764064800|M1|IN||",
            "1764064810|M1|PAY|12.50|coffee, large",
            "1764064820|M1|OUT||",
            "1764068400|M1|IN||next hour",
            "1764064830|M2|IN||",
            "1764064840|M2|PAY||no amount",
            "1764064850|X9|IN||",
            "1764064860|M3|SLEEP||",
            "1764064870|M3|PAY|-3.00|",
            "1764064880|M3|PAY|1.005|",
            "1764064890|M3",
            "2026-11-25|M3|IN||")
            + "\n");
    Path out = dir.resolve("out");

    RunSummary summary =
        BatchPipeline.run(
            BatchPipeline.parseOptions(
                "--runner=SparkRunner", "--sparkMaster=local[2]", "--schema=" + schema, "--input=" + input,
                "--output=" + out));

    assertEquals(List.of(12L, 5L, 0L, 7L),
        List.of(summary.read(), summary.valid(), summary.duplicates(), summary.deadLetters()));
    Map<String, Long> expectedCounts = new TreeMap<>();
    expectedCounts.put("2025-11-25T10:00:00Z/2025-11-25T11:00:00Z M1 login", 1L);
    expectedCounts.put("2025-11-25T10:00:00Z/2025-11-25T11:00:00Z M1 payment", 1L);
    expectedCounts.put("2025-11-25T10:00:00Z/2025-11-25T11:00:00Z M1 logout", 1L);
    expectedCounts.put("2025-11-25T11:00:00Z/2025-11-25T12:00:00Z M1 login", 1L);
    expectedCounts.put("2025-11-25T10:00:00Z/2025-11-25T11:00:00Z M2 login", 1L);
    assertEquals(expectedCounts, OutputFolder.asText(OutputFolder.counts(out)));

    Map<Long, String> reasonsByLine = new TreeMap<>();
    for (JsonNode letter : OutputFolder.deadLetters(out)) {
      String source = letter.get("source").asText();
      reasonsByLine.put(
          Long.parseLong(source.substring(source.lastIndexOf(':') + 1)),
          letter.get("reason").asText() + ": " + letter.get("message").asText());
    }
    assertEquals(
        Map.of(
            6L, "purchase_without_price: a payment needs an amount",
            7L, "pattern_mismatch: member 'X9' does not match the pattern M[0-9]+",
            8L, "unknown_event_type: kind 'SLEEP' is not one of IN, OUT, PAY",
            9L, "negative_price: amount -3.00 is negative",
            10L, "invalid_number: amount '1.005' needs more than 2 decimal places or 16 integer digits",
            11L, "malformed_record: expected 5 columns, found 2",
            12L, "invalid_timestamp: ts '2026-11-25' is not epoch seconds like 1764022530"),
        reasonsByLine);

    // events/ has the schema's columns, typed: the payment's amount and its note with a comma inside.
    List<GenericRecord> events = ParquetFolder.readAll(out.resolve("events"));
    GenericRecord payment =
        events.stream().filter(e -> e.get("kind").toString().equals("payment")).findFirst().orElseThrow();
    assertEquals(List.of("ts", "member", "kind", "amount", "note"),
        payment.getSchema().getFields().stream().map(org.apache.avro.Schema.Field::name).toList());
    assertEquals(Instant.parse("2025-11-25T10:00:10Z").toEpochMilli() * 1000, payment.get("ts"));
    assertEquals("coffee, large", payment.get("note").toString());
  }

  @Test
  void aBadSchemaFileStopsTheRunBeforeItStartsNamingTheFieldAndTheProblem() throws Exception {
    Path schema =
        Files.writeString(dir.resolve("bad.json"), KIOSK_SCHEMA.replace("\"type\": \"decimal\"", "\"type\": \"money\""));
    Path input = Files.writeString(dir.resolve("in.txt"), "1764064800|M1|IN||\n");

    UserError error =
        assertThrows(
            UserError.class,
            () ->
                BatchPipeline.run(
                    BatchPipeline.parseOptions(
                        "--runner=DirectRunner", "--schema=" + schema, "--input=" + input,
                        "--output=" + dir.resolve("out"))));
    assertEquals(
        "--schema: schema file " + schema + ": fields[3] (amount): type 'money' is unknown: use string, long,"
            + " decimal, timestamp or enum",
        error.getMessage());
    assertEquals(false, Files.exists(dir.resolve("out")), "nothing may be written");
  }

  @Test
  void aUserEventsTableOfAnotherSchemaIsRefusedNamingTheFix() throws Exception {
    Path input = Files.writeString(dir.resolve("in.txt"), "1764064800|M1|IN||\n");
    Path schema = Files.writeString(dir.resolve("kiosk.json"), KIOSK_SCHEMA);
    try (TestPostgres postgres = TestPostgres.withNewSchema()) {
      String password = "--jdbcPasswordFile=" + postgres.passwordFile(dir);
      BatchPipeline.run(
          BatchPipeline.parseOptions(
              "--runner=DirectRunner", "--schema=" + schema, "--input=" + input, "--output=" + dir.resolve("a"),
              "--jdbcUrl=" + postgres.url(), password));
      assertEquals(List.of(List.of("M1", "login", input + ":1")),
          postgres.query("SELECT member, kind, tally_source FROM user_events"));

      UserError error =
          assertThrows(
              UserError.class,
              () ->
                  BatchPipeline.run(
                      BatchPipeline.parseOptions(
                          "--runner=DirectRunner", "--schema=rees46", "--input=" + input,
                          "--output=" + dir.resolve("b"), "--jdbcUrl=" + postgres.url(), password)));
      assertEquals(true, error.getMessage().contains("not those of event schema 'rees46'"), error.getMessage());
      assertEquals(true, error.getMessage().contains("add ?currentSchema=NAME to --jdbcUrl"), error.getMessage());
    }
  }
}
