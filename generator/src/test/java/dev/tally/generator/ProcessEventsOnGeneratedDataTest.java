package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.model.DeadLetter;
import dev.tally.model.RawRecord;
import dev.tally.model.WindowedCount;
import dev.tally.schema.EventSchema;
import dev.tally.testing.TestPipelineExtension;
import dev.tally.transforms.ParseEvents;
import dev.tally.transforms.ProcessEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generator's ground truth against Tally's real parsing, validation, de-duplication and counting
 * ({@link ProcessEvents} on the Direct runner), for every built-in schema: the files are read back line by line as
 * the batch pipeline reads them, and the counts and dead letters must match exactly.
 */
@ExtendWith(TestPipelineExtension.class)
class ProcessEventsOnGeneratedDataTest {
  private static final Duration WINDOW = Duration.ofHours(1);

  @TempDir Path tmp;

  /** Each built-in schema, with the defects its fields allow and whether it has an event id to de-duplicate by. */
  static Stream<Arguments> builtInSchemas() {
    List<String> all = List.of("malformed_record", "missing_required_field", "unknown_event_type",
        "invalid_timestamp", "invalid_number", "negative_price", "purchase_without_price");
    List<String> withoutPrice = all.subList(0, 5);
    Map<String, Arguments> cases = Map.of(
        "default", Arguments.of("default", all, true),
        "card-transactions", Arguments.of("card-transactions", all, true),
        "rees46", Arguments.of("rees46", all, false),
        // A long or decimal field, but no price.
        "db-actions", Arguments.of("db-actions", withoutPrice, true),
        "retailrocket", Arguments.of("retailrocket", withoutPrice, false));
    assertEquals(cases.keySet(), Set.copyOf(EventSchema.BUILT_IN), "a case per built-in schema");
    return EventSchema.BUILT_IN.stream().map(cases::get);
  }

  @ParameterizedTest
  @MethodSource("builtInSchemas")
  void pipelineOutputsTheGroundTruth(
      String name, List<String> injectedReasons, boolean hasEventId, TestPipeline pipeline) throws IOException {
    GeneratorConfig config =
        GeneratorConfig.builder()
            .schema(EventSchema.builtIn(name))
            .outputDir(tmp)
            .events(1200)
            .files(2)
            .invalidRate(0.05)
            .duplicateRate(0.02)
            .lateRate(0.02)
            .build();
    GeneratedData data = EventGenerator.generate(config);
    Manifest manifest = data.manifest();

    assertEquals(name, manifest.config().schema());
    assertEquals(injectedReasons, manifest.config().injectedReasons());
    assertEquals(Set.copyOf(injectedReasons), manifest.totals().invalidByReason().keySet(),
        "every defect the schema allows is injected");
    assertEquals(60, manifest.totals().invalid());
    assertEquals(hasEventId ? 24 : 0, manifest.totals().duplicates());
    assertEquals(hasEventId ? 0 : 1, manifest.config().notes().size(), manifest.config().notes().toString());

    expectTheGroundTruth(pipeline, config, data);
    pipeline.run().waitUntilFinish();
  }

  /**
   * Card transactions are in Paris time: across the end of summer time, 02:00 to 03:00 local happens twice and
   * the pipeline reads the second hour as the first. The ground truth must say so too.
   */
  @Test
  void localTimesInTheSummerTimeOverlapCountWhereThePipelineReadsThem(TestPipeline pipeline) throws IOException {
    GeneratorConfig config =
        GeneratorConfig.builder()
            .schema(EventSchema.builtIn("card-transactions"))
            .outputDir(tmp)
            .events(800)
            .start(Instant.parse("2026-10-24T23:00:00Z"))
            .span(Duration.ofHours(4))
            .build();
    GeneratedData data = EventGenerator.generate(config);
    // 01:00 to 02:00 UTC is 02:00 to 03:00 CET, the second pass: it reads back an hour earlier, as summer time.
    Map<Instant, Long> validPerHour = new TreeMap<>();
    data.records().stream()
        .filter(record -> record.kind() == RecordKind.VALID)
        .forEach(record -> validPerHour.merge(
            record.eventTime().truncatedTo(java.time.temporal.ChronoUnit.HOURS), 1L, Long::sum));
    assertEquals(null, validPerHour.get(Instant.parse("2026-10-25T01:00:00Z")), validPerHour.toString());
    long doubled = validPerHour.get(Instant.parse("2026-10-25T00:00:00Z"));
    long single = validPerHour.get(Instant.parse("2026-10-24T23:00:00Z"));
    assertTrue(doubled > 1.8 * single, validPerHour.toString());

    expectTheGroundTruth(pipeline, config, data);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aHeaderlessSchemaWithALongEventIdAndNoPrice(TestPipeline pipeline) throws IOException {
    GeneratorConfig config =
        GeneratorConfig.builder()
            .schema(EventSchema.load(SchemaGenerationTest.headerlessSchema(tmp).toString()))
            .outputDir(tmp.resolve("out"))
            .events(1000)
            .invalidRate(0.05)
            .duplicateRate(0.02)
            .build();
    GeneratedData data = EventGenerator.generate(config);
    assertEquals(20, data.manifest().totals().duplicates());

    expectTheGroundTruth(pipeline, config, data);
    pipeline.run().waitUntilFinish();
  }

  private static void expectTheGroundTruth(TestPipeline pipeline, GeneratorConfig config, GeneratedData data)
      throws IOException {
    List<RawRecord> records = readBack(config, data);
    assertEquals(config.events(), records.size());

    ProcessEvents.Result result =
        pipeline
            .apply(Create.of(records).withCoder(RawRecord.RawRecordCoder.of()))
            .apply(new ProcessEvents(config.schema(), ParseEvents.DEFAULT_MAX_RECORD_BYTES,
                org.joda.time.Duration.millis(WINDOW.toMillis()), null, org.joda.time.Duration.ZERO));

    List<String> expectedCounts = new ArrayList<>();
    GroundTruth.counts(data.records(), WINDOW).forEach((key, count) ->
        expectedCounts.add(countRow(key.windowStart(), key.windowEnd(), key.userId(), key.eventType(), count)));
    PAssert.that(result.counts().apply("CountRows", MapElements.into(TypeDescriptors.strings())
            .via((WindowedCount count) -> countRow(count.windowStart(), count.windowEnd(), count.userId(),
                count.eventType(), count.eventCount()))))
        .containsInAnyOrder(expectedCounts);

    List<String> expectedLetters = new ArrayList<>();
    GroundTruth.deadLetterReasons(data.records()).forEach((source, reason) -> expectedLetters.add(source + " " + reason));
    PCollection<DeadLetter> letters = result.deadLetters();
    PAssert.that(letters.apply("SourceAndReason", MapElements.into(TypeDescriptors.strings())
            .via((DeadLetter letter) -> letter.source() + " " + letter.reason().code())))
        .containsInAnyOrder(expectedLetters);

    List<KV<String, Long>> expectedByReason = new ArrayList<>();
    data.manifest().totals().invalidByReason().forEach((reason, count) -> expectedByReason.add(KV.of(reason, count)));
    PAssert.that(letters
            .apply("Reason", MapElements.into(TypeDescriptors.strings()).via((DeadLetter letter) -> letter.reason().code()))
            .apply("PerReason", Count.perElement()))
        .containsInAnyOrder(expectedByReason);

    PAssert.thatSingleton(result.validEvents()
            .apply("OneWindow", Window.into(new GlobalWindows()))
            .apply("CountValid", Count.globally()))
        .isEqualTo(data.manifest().totals().validUnique());
  }

  private static String countRow(Instant start, Instant end, String user, String type, long count) {
    return start + "/" + end + " " + user + " " + type + " " + count;
  }

  /** The records in the files, as the batch pipeline reads them: each CSV line under its file's header line. */
  private static List<RawRecord> readBack(GeneratorConfig config, GeneratedData data) throws IOException {
    boolean header = config.schema().format().isCsv() && config.schema().format().header();
    List<RawRecord> records = new ArrayList<>();
    for (String file : data.files()) {
      List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      String headerLine = header ? lines.get(0) : null;
      for (int i = header ? 1 : 0; i < lines.size(); i++) {
        records.add(new RawRecord(lines.get(i), file, i + 1, headerLine));
      }
    }
    return records;
  }
}
