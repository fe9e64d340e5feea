package dev.tally.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.model.RawRecord;
import dev.tally.schema.EventSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;

/**
 * Random batches of records (valid ones with repeated event ids, nearly valid ones, random bytes) through the
 * whole of ProcessEvents on the Direct runner: its counters always satisfy {@code read = valid + duplicates +
 * dead_letters}, with read the number of records given. A few tries only: each is a pipeline run of seconds.
 */
class ProcessEventsAccountingPropertiesTest {
  private final ParseAndValidatePropertiesTest generators = new ParseAndValidatePropertiesTest();

  @Property(tries = 5)
  void readIsValidPlusDuplicatesPlusDeadLetters(@ForAll("batches") List<String> lines) {
    List<RawRecord> records = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      records.add(RawRecord.of(lines.get(i), "events-0", i));
    }
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply(Create.of(records))
        .apply(new ProcessEvents(EventSchema.defaultSchema(), ParseEvents.DEFAULT_MAX_RECORD_BYTES,
            Duration.standardHours(1), null, Duration.ZERO));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    long read = counter(result, TallyMetrics.READ);
    long valid = counter(result, TallyMetrics.VALID);
    long duplicates = counter(result, TallyMetrics.DUPLICATES);
    long deadLetters = counter(result, TallyMetrics.DEAD_LETTERS);
    assertEquals(lines.size(), read);
    assertEquals(read, valid + duplicates + deadLetters,
        "valid " + valid + ", duplicates " + duplicates + ", dead letters " + deadLetters);
  }

  @Provide
  Arbitrary<List<String>> batches() {
    Arbitrary<String> validWithRepeatedIds =
        Arbitraries.integers().between(1, 5)
            .map(id -> "e" + id + ",u1,view,2026-11-23T10:15:30Z,,,,,,,");
    Arbitrary<String> randomBytes =
        generators.bytes().map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    return Arbitraries.oneOf(validWithRepeatedIds, generators.nearlyValidCsv(), randomBytes)
        .list().ofMinSize(1).ofMaxSize(60);
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(TallyMetrics.NAMESPACE, name)).build()).getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
