package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same streaming pipeline, unchanged, on Beam's DirectRunner in a JVM of its own: Kafka (three uneven
 * partitions, duplicates, invalid and three-hour-late events) -> PostgreSQL with exact counts and dead letters,
 * then SIGTERM ends it. (In the test's own JVM, the Direct runner's Kafka reads went on after cancel().)
 */
@Tag("integration")
class StreamingPipelineOnDirectRunnerTest {
  private static final int EVENTS = 1000;

  @TempDir Path dir;

  @Test
  void countsEveryDistinctEventOnceAndDeadLettersEveryInvalidOne() throws Exception {
    try (StreamTestServices services = new StreamTestServices(dir)) {
      StreamTestEvents events = new StreamTestEvents(11);
      services.produce(events.next(EVENTS));

      // blockOnRun=false: run() returns while the unbounded pipeline keeps running, so SIGTERM can cancel it.
      Process pipeline = PipelineProcess.start(services, dir, 1, List.of("--runner=DirectRunner", "--blockOnRun=false"));
      try {
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            pipeline::isAlive);
        // Live events after the backlog are counted too.
        services.produce(events.next(50));
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            pipeline::isAlive);
        pipeline.destroy(); // SIGTERM
        assertTrue(pipeline.waitFor(90, TimeUnit.SECONDS), "no exit 90 s after SIGTERM");
        assertEquals(0, pipeline.exitValue(), PipelineProcess.log(dir, 1));
      } finally {
        pipeline.destroyForcibly();
      }
      services.assertStoredExactly(events, "DirectRunner");
    }
  }
}
