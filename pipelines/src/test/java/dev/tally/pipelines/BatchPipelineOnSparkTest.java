package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratedRecord;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.generator.OutputFormat;
import dev.tally.generator.RecordKind;
import dev.tally.pipelines.io.EventRecords;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import dev.tally.pipelines.io.ParquetFolder;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated events with invalid, duplicate and late records, through {@link BatchPipeline} on the Spark runner
 * (local[2]); every output read back and compared with what the test computes from the generator's records.
 */
class BatchPipelineOnSparkTest {
  private static final FieldSpec DEFAULT_PRICE =
      EventSchema.defaultSchema().field(EventSchema.defaultSchema().priceIndex());

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(OutputFormat.class)
  void outputsMatchAnIndependentComputation(OutputFormat format) throws Exception {
    GeneratorConfig config =
        GeneratorConfig.builder()
            .events(4000)
            .users(40)
            .files(3)
            .format(format)
            .gzip(format == OutputFormat.JSONL)
            .seed(7)
            .invalidRate(0.05)
            .duplicateRate(0.03)
            .lateRate(0.02)
            .outputDir(dir.resolve("in"))
            .build();
    GeneratedData data = EventGenerator.generate(config);
    Path out = dir.resolve("out");

    RunSummary summary =
        BatchPipeline.run(
            BatchPipeline.parseOptions(
                "--runner=SparkRunner",
                "--sparkMaster=local[2]",
                "--input=" + dir.resolve("in") + "/events-*",
                "--format=" + format.code(),
                "--output=" + out));

    // Expected, from the generator's own account of each record.
    Map<String, GeneratedRecord> expectedEvents = new TreeMap<>();
    Map<String, Long> expectedDeadLetters = new TreeMap<>();
    long duplicates = 0;
    for (GeneratedRecord record : data.records()) {
      if (record.isUniqueValid()) {
        expectedEvents.put(record.eventId(), record);
      } else if (record.kind() == RecordKind.DUPLICATE) {
        duplicates++;
      } else {
        expectedDeadLetters.put(record.sourcePosition() + " " + record.reason().code(), 1L);
      }
    }
    assertTrue(duplicates > 0 && expectedDeadLetters.size() > 0, "the generator injected nothing");

    Map<CountKey, Long> expectedCounts = GroundTruth.counts(data.records(), Duration.ofHours(1));
    assertEquals(expectedCounts, OutputFolder.counts(out));

    Map<String, GenericRecord> events = new HashMap<>();
    for (GenericRecord row : ParquetFolder.readAll(out.resolve("events"))) {
      assertEquals(null, events.put(row.get("event_id").toString(), row), "each event once");
    }
    assertEquals(expectedEvents.keySet(), new java.util.TreeSet<>(events.keySet()));
    for (GeneratedRecord expected : expectedEvents.values()) {
      GenericRecord row = events.get(expected.eventId());
      assertEquals(expected.userId(), row.get("user_id").toString());
      assertEquals(expected.eventType(), row.get("event_type").toString());
      assertEquals(expected.eventTime().toEpochMilli() * 1000, row.get("event_time"));
      BigDecimal price = row.get("price") == null ? null : EventRecords.decimal(DEFAULT_PRICE, (ByteBuffer) row.get("price"));
      assertEquals(
          expected.price() == null ? null : expected.price().setScale(4), price, expected.eventId());
    }

    Map<String, Long> deadLetters = new TreeMap<>();
    Map<String, String> rawBySource = new HashMap<>();
    for (GeneratedRecord record : data.records()) {
      rawBySource.put(record.sourcePosition(), record.line());
    }
    for (JsonNode letter : OutputFolder.deadLetters(out)) {
      String source = letter.get("source").asText();
      deadLetters.merge(source + " " + letter.get("reason").asText(), 1L, Long::sum);
      assertEquals(rawBySource.get(source), letter.get("raw").asText(), "raw text kept exactly");
    }
    assertEquals(expectedDeadLetters, deadLetters);

    assertEquals(config.events(), summary.read());
    assertEquals(expectedEvents.size(), summary.valid());
    assertEquals(duplicates, summary.duplicates());
    assertEquals(expectedDeadLetters.size(), summary.deadLetters());
    assertEquals(expectedCounts.size(), summary.countRows());
    assertEquals("SparkRunner", summary.runner());
    assertTrue(summary.invariantHolds());
    Map<String, Long> byReason = new TreeMap<>();
    data.manifest().totals().invalidByReason().forEach(byReason::put);
    Map<String, Long> summaryByReason = new TreeMap<>(summary.deadLettersByReason());
    summaryByReason.values().removeIf(n -> n == 0);
    assertEquals(byReason, summaryByReason);
  }
}
