package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.StreamingPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka -> StreamingPipeline on the Spark runner (local[2], streaming) -> PostgreSQL, for real. The backlog sits
 * in three unevenly filled partitions (70/25/5 %) and holds duplicates, invalid events and events three hours
 * older than the rest: on Beam 2.62's Spark runner, whose Kafka watermark is the maximum over partitions, a
 * windowed count would drop much of it as late. Every count must still be exact.
 */
@Tag("integration")
class StreamingPipelineOnSparkTest {
  private static final int EVENTS = 3000;
  private static final int LIVE_EVENTS = 11;

  @TempDir Path dir;

  @Test
  void countsEveryDistinctEventOnceAndDeadLettersEveryInvalidOne() throws Exception {
    try (StreamTestServices services = new StreamTestServices(dir)) {
      StreamTestEvents events = new StreamTestEvents(8);
      services.produce(events.next(EVENTS));
      Map<Integer, Long> sizes = services.partitionSizes();
      assertEquals(EVENTS, sizes.values().stream().mapToLong(Long::longValue).sum());
      assertTrue(sizes.get(0) > 2 * sizes.get(1) && sizes.get(1) > 2 * sizes.get(2) && sizes.get(2) > 0,
          "uneven partitions: " + sizes);

      List<String> flags = services.pipelineFlags("spark-test");
      flags.addAll(List.of(
          "--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true", "--batchIntervalMillis=1000",
          "--checkpointDir=" + dir.resolve("checkpoint")));
      long started = System.nanoTime();
      PipelineResult result = StreamingPipeline.start(StreamingPipeline.parseOptions(flags.toArray(String[]::new)));
      try {
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            () -> result.getState() == PipelineResult.State.RUNNING);
        long backlogMillis = (System.nanoTime() - started) / 1_000_000;
        // Then live: one new event at a time, each timed from its send to its count being visible.
        List<Long> latencies = services.liveLatencies(events, LIVE_EVENTS, Duration.ofMinutes(1));
        System.out.printf(
            "StreamingPipelineOnSparkTest: %d records stored %.1f s after start (Spark start-up included); live"
                + " latency produce -> count visible over %d events: min %d ms, median %d ms, max %d ms%n",
            EVENTS, backlogMillis / 1000.0, LIVE_EVENTS, latencies.get(0), latencies.get(LIVE_EVENTS / 2),
            latencies.get(LIVE_EVENTS - 1));
      } finally {
        try {
          result.cancel();
        } catch (RuntimeException e) {
          // Seen under load: Beam's graceful stop runs one more batch whose Kafka read was just interrupted. What
          // is stored is what counts, and it is checked below.
          System.out.println("StreamingPipelineOnSparkTest: cancel() threw " + e);
        }
      }

      services.assertStoredExactly(events, "Spark local[2]");
    }
  }
}
