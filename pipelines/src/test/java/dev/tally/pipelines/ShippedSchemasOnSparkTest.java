package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratedRecord;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.RecordKind;
import dev.tally.pipelines.io.ParquetFolder;
import dev.tally.schema.EventSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every shipped schema end to end: the generator writes data in its layout (with invalid, duplicate and late
 * records where the schema allows them), the batch pipeline reads it on Spark (local[2]) with {@code --schema},
 * and every output is compared with the generator's own account of each record: counts, dead letters by
 * position and reason, events, and the {@code user_events} rows in PostgreSQL.
 */
class ShippedSchemasOnSparkTest {
  static final List<String> SCHEMAS = EventSchema.BUILT_IN;

  @TempDir Path dir;

  @ParameterizedTest
  @FieldSource("SCHEMAS")
  void generatedDataIsCountedExactly(String name) throws Exception {
    EventSchema schema = EventSchema.builtIn(name);
    GeneratedData data =
        EventGenerator.generate(
            GeneratorConfig.builder()
                .schema(schema)
                .events(3000)
                .files(2)
                .seed(11)
                .invalidRate(0.05)
                .duplicateRate(0.03)
                .lateRate(0.02)
                .outputDir(dir.resolve("in"))
                .build());
    Map<String, String> expectedDeadLetters = new TreeMap<>();
    long unique = 0;
    long duplicates = 0;
    for (GeneratedRecord record : data.records()) {
      if (record.isUniqueValid()) {
        unique++;
      } else if (record.kind() == RecordKind.DUPLICATE) {
        duplicates++;
      } else {
        expectedDeadLetters.put(record.sourcePosition(), record.reason().code());
      }
    }
    assertTrue(expectedDeadLetters.size() > 100, "the generator injected too few invalid records");
    assertEquals(schema.hasEventId(), duplicates > 0, "duplicates exactly when the schema has an event id");

    try (TestPostgres postgres = TestPostgres.withNewSchema()) {
      Path out = dir.resolve("out");
      RunSummary summary =
          BatchPipeline.run(
              BatchPipeline.parseOptions(
                  "--runner=SparkRunner", "--sparkMaster=local[2]", "--schema=" + name,
                  "--input=" + dir.resolve("in") + "/events-*", "--output=" + out,
                  "--jdbcUrl=" + postgres.url(), "--jdbcPasswordFile=" + postgres.passwordFile(dir)));

      assertEquals(
          List.of((long) data.records().size(), unique, duplicates, (long) expectedDeadLetters.size()),
          List.of(summary.read(), summary.valid(), summary.duplicates(), summary.deadLetters()));
      assertEquals(
          OutputFolder.asText(GroundTruth.counts(data.records(), Duration.ofHours(1))),
          OutputFolder.asText(OutputFolder.counts(out)));

      Map<String, String> deadLetters = new TreeMap<>();
      for (JsonNode letter : OutputFolder.deadLetters(out)) {
        deadLetters.put(letter.get("source").asText(), letter.get("reason").asText());
      }
      assertEquals(expectedDeadLetters, deadLetters);

      assertEquals(unique, ParquetFolder.readAll(out.resolve("events")).size());
      assertEquals(
          List.of(List.of(unique)), postgres.query("SELECT count(*) FROM user_events"), "user_events rows");
    }
  }
}
