package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.TestPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL unreachable for 30 s in the middle of a stream, then back: the streaming pipeline (Spark local[2], in a
 * JVM of its own) keeps running, its sink retries ({@code --jdbcRetryTime}, default five minutes), and once
 * PostgreSQL answers again it catches up: every count exact, nothing lost, nothing counted twice.
 *
 * <p>The machine's PostgreSQL is shared with other tests, so it is not stopped: the pipeline reaches it through a
 * {@link TcpProxy} owned by this test, and "down" closes every proxied connection and refuses new ones. To the
 * client that is exactly what a stopped server looks like: its open connections end in the middle of whatever they
 * were doing (a transaction is lost or, if its COMMIT got through, done), and connecting is refused.
 */
@Tag("integration")
class StreamingPostgresOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final int EVENTS_PER_TICK = 20;
  private static final Duration TICK = Duration.ofMillis(200);

  @TempDir Path dir;

  @Test
  void countsEndExactAfterPostgresIsUnreachableForThirtySeconds() throws Exception {
    URI database = URI.create(TestPostgres.URL.substring("jdbc:".length()));
    try (StreamTestServices services = new StreamTestServices(dir);
        TcpProxy proxy = TcpProxy.to(database.getHost(), database.getPort() < 0 ? 5432 : database.getPort())) {
      URI direct = URI.create(services.postgres.url().substring("jdbc:".length()));
      services.pipelineJdbcUrl = "jdbc:" + new URI(direct.getScheme(), null, "127.0.0.1", proxy.port(),
          direct.getPath(), direct.getQuery(), null);
      StreamTestEvents events = new StreamTestEvents(11);
      long started = System.nanoTime();
      Process pipeline = PipelineProcess.start(services, dir, 1);
      try {
        long beforeRecovery;
        long firstRows;
        long back;
        try (SteadyProducer producer = new SteadyProducer(services, events, EVENTS_PER_TICK, TICK)) {
          // Spark's start-up alone took over 2 minutes at load average 25: a bound, not a speed requirement.
          services.awaitStoredMoreThan(0, Duration.ofMinutes(5), pipeline::isAlive);
          firstRows = System.nanoTime();
          proxy.down();
          // The outage's length is the scenario, not a pass criterion.
          Thread.sleep(OUTAGE.toMillis());
          assertTrue(pipeline.isAlive(), "the pipeline died during the outage: " + PipelineProcess.log(dir, 1));
          beforeRecovery = services.count("user_events");
          proxy.up();
          back = System.nanoTime();
          // Caught up: what arrived during the outage is being stored.
          services.awaitStoredMoreThan(beforeRecovery, Duration.ofMinutes(2), pipeline::isAlive);
          producer.stop();
        }
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            pipeline::isAlive);
        services.assertStoredExactly(events, "after " + OUTAGE.toSeconds() + " s without PostgreSQL (" + proxy
            + ", " + beforeRecovery + " events stored when it came back)");

        assertTrue(pipeline.isAlive(), "the pipeline must still run: " + PipelineProcess.log(dir, 1));
        String log = Files.readString(PipelineProcess.logFile(dir, 1));
        assertTrue(log.contains("PostgreSQL transaction failed (attempt "),
            "the sink never had to retry, so the outage was not felt: " + PipelineProcess.log(dir, 1));
        assertFalse(log.contains(services.postgres.password), "the password is in the pipeline's log");
        System.out.printf("StreamingPostgresOutageTest: first rows %.1f s after start, PostgreSQL away %d s, all %d"
                + " events stored %.1f s after it came back; %d retry lines in the log%n",
            (firstRows - started) / 1e9, OUTAGE.toSeconds(), events.distinctValid(), (System.nanoTime() - back) / 1e9,
            log.lines().filter(line -> line.contains("PostgreSQL transaction failed (attempt ")).count());
      } finally {
        pipeline.destroyForcibly();
        pipeline.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
