package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming pipeline (Spark runner, local[2], streaming) in a JVM of its own, SIGKILLed at random moments
 * while events keep arriving, and restarted each time with the same checkpoint dir and consumer group. Whatever
 * the runner replays, every count in PostgreSQL must end exact: nothing lost, nothing counted twice.
 */
@Tag("integration")
class StreamingCrashRestartTest {
  private static final int KILLS = 5;
  private static final int EVENTS_PER_TICK = 40;
  private static final Duration TICK = Duration.ofMillis(200);

  @TempDir Path dir;

  @Test
  void countsStayExactAcrossRepeatedKillMinusNine() throws Exception {
    // Other moments each run, so that CI keeps trying new ones; -Dtally.crashSeed=N repeats a failed run's.
    long seed = Long.getLong("tally.crashSeed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("StreamingCrashRestartTest: -Dtally.crashSeed=" + seed);
    try (StreamTestServices services = new StreamTestServices(dir)) {
      StreamTestEvents events = new StreamTestEvents(9);
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicReference<Exception> producerFailure = new AtomicReference<>();
      Thread producer = new Thread(() -> {
        try {
          while (producing.get()) {
            services.produce(events.next(EVENTS_PER_TICK));
            Thread.sleep(TICK.toMillis());
          }
        } catch (Exception e) {
          producerFailure.set(e);
        }
      }, "test-producer");
      producer.start();

      List<String> kills = new ArrayList<>();
      for (int kill = 1; kill <= KILLS; kill++) {
        Process pipeline = PipelineProcess.start(services, dir, kill);
        // Start-up takes about 8-15 s: kills land before, during and after the first batches.
        long millis = 4_000 + random.nextInt(20_000);
        Thread.sleep(millis);
        assertTrue(pipeline.isAlive(), "the pipeline died by itself before kill " + kill + " (-Dtally.crashSeed=" + seed
            + "): " + PipelineProcess.log(dir, kill));
        pipeline.destroyForcibly(); // SIGKILL
        assertTrue(pipeline.waitFor(30, TimeUnit.SECONDS));
        kills.add(millis + " ms (" + services.count("user_events") + " events stored)");
      }
      producing.set(false);
      producer.join();
      if (producerFailure.get() != null) {
        throw producerFailure.get();
      }

      Process last = PipelineProcess.start(services, dir, KILLS + 1);
      try {
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            last, StallReport.threadDumpFile(dir, KILLS + 1));
        services.assertStoredExactly(events, "after SIGKILLs at " + kills + " (-Dtally.crashSeed=" + seed + ")");
      } finally {
        last.destroyForcibly();
        last.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
