package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker restarted in the middle of a stream: stopped (SIGTERM, a controlled shutdown), away for 10 s, then
 * started again on the same port with the same log directory. The streaming pipeline (Spark local[2], in a JVM of its
 * own) keeps running, its Kafka clients reconnect, and every count ends exact. The test's producer keeps sending
 * throughout: its sends wait for the broker and are delivered once it is back (the producer is idempotent, so a
 * retried send is not stored twice).
 */
@Tag("integration")
class StreamingKafkaRestartTest {
  private static final Duration AWAY = Duration.ofSeconds(10);
  private static final int EVENTS_PER_TICK = 20;
  private static final Duration TICK = Duration.ofMillis(200);

  @TempDir Path dir;

  @Test
  void countsEndExactAfterTheBrokerRestarts() throws Exception {
    try (StreamTestServices services = new StreamTestServices(dir)) {
      StreamTestEvents events = new StreamTestEvents(12);
      long started = System.nanoTime();
      Process pipeline = PipelineProcess.start(services, dir, 1);
      try {
        long beforeRestart;
        long upAgain;
        String phases;
        try (SteadyProducer producer = new SteadyProducer(services, events, EVENTS_PER_TICK, TICK)) {
          // Spark's start-up alone took over 2 minutes at load average 25: a bound, not a speed requirement.
          services.awaitStoredMoreThan(0, Duration.ofMinutes(5), pipeline::isAlive);
          long firstRows = System.nanoTime();
          assertTrue(services.stack.kafka().down(), "the test's broker was not running");
          // How long it stays away is the scenario, not a pass criterion.
          Thread.sleep(AWAY.toMillis());
          assertTrue(pipeline.isAlive(), "the pipeline died while Kafka was away: " + PipelineProcess.log(dir, 1));
          beforeRestart = services.count("user_events");
          long restarting = System.nanoTime();
          assertTrue(services.stack.kafka().up(), "the broker was started by someone else");
          upAgain = System.nanoTime();
          phases = String.format("first rows %.1f s after start, broker stopped and away %.1f s, up again in %.1f s",
              (firstRows - started) / 1e9, (restarting - firstRows) / 1e9, (upAgain - restarting) / 1e9);
          // Caught up: what was sent while the broker was away is being stored.
          services.awaitStoredMoreThan(beforeRestart, Duration.ofMinutes(2), pipeline::isAlive);
          producer.stop();
        }
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            pipeline::isAlive);
        services.assertStoredExactly(events, "after a broker restart (" + beforeRestart + " events stored when it"
            + " came back)");
        assertTrue(pipeline.isAlive(), "the pipeline must still run: " + PipelineProcess.log(dir, 1));
        System.out.printf("StreamingKafkaRestartTest: %s, all %d events stored %.1f s after that%n",
            phases, events.distinctValid(), (System.nanoTime() - upAgain) / 1e9);
      } finally {
        pipeline.destroyForcibly();
        pipeline.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
