package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash the random kills of {@link StreamingCrashRestartTest} hit only by chance, made certain: the pipeline
 * (Spark local[2], own JVM) reads records while PostgreSQL makes its sink wait (the test holds a lock on
 * {@code user_event_counts}), and is SIGKILLed then. Beam 2.62's Spark runner finalises a micro-batch's Kafka
 * checkpoint as soon as it is read, so offsets committed by KafkaIO would already cover the records that were never
 * stored, and a restart from them would lose them. The restart must store every record.
 */
@Tag("integration")
class StreamingCrashWhileStoringWaitsTest {
  // Time for a runner to read the waiting records and commit their offsets, if it does: five micro-batches.
  private static final Duration READ_AHEAD = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void recordsReadButNotYetStoredAtASigkillAreStoredAfterTheRestart() throws Exception {
    try (StreamTestServices services = new StreamTestServices(dir)) {
      StreamTestEvents events = new StreamTestEvents(11);
      services.produce(events.next(300));
      Process first = PipelineProcess.start(services, dir, 1);
      try (Connection lock = services.postgres.connect()) {
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            first, StallReport.threadDumpFile(dir, 1));
        lock.setAutoCommit(false);
        try (Statement statement = lock.createStatement()) {
          statement.execute("LOCK TABLE user_event_counts IN EXCLUSIVE MODE");
        }
        services.produce(events.next(600));
        awaitSinkWaiting(services, first);
        Thread.sleep(READ_AHEAD.toMillis());
        first.destroyForcibly(); // SIGKILL
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        lock.rollback();
      } finally {
        first.destroyForcibly();
      }

      Process second = PipelineProcess.start(services, dir, 2);
      try {
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            second, StallReport.threadDumpFile(dir, 2));
        services.assertStoredExactly(events, "after a SIGKILL while the sink waited for PostgreSQL");
      } finally {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Until a session of the pipeline waits for the test's lock: it has read new records and tries to store them. */
  private void awaitSinkWaiting(StreamTestServices services, Process pipeline) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (((Number) services.postgres.query(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'user_event_counts'::regclass")
        .get(0).get(0)).longValue() == 0) {
      assertTrue(pipeline.isAlive(), "the pipeline died: " + PipelineProcess.log(dir, 1));
      assertTrue(Instant.now().isBefore(deadline), "the pipeline did not try to store the new records in 2 min");
      Thread.sleep(200);
    }
  }
}
