package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a running streaming pipeline JVM (Spark local[2]): the pipeline is cancelled and the JVM exits. */
@Tag("integration")
class StreamingShutdownTest {
  @TempDir Path dir;

  @Test
  void sigtermCancelsThePipelineAndEndsTheJvm() throws Exception {
    try (StreamTestServices services = new StreamTestServices(dir)) {
      StreamTestEvents events = new StreamTestEvents(5);
      services.produce(events.next(300));
      Process pipeline = PipelineProcess.start(services, dir, 1);
      try {
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), Duration.ofMinutes(2),
            pipeline, StallReport.threadDumpFile(dir, 1));
        pipeline.destroy(); // SIGTERM
        boolean exited = pipeline.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
          Process jstack = new ProcessBuilder(
              services.settings.javaExecutable().resolveSibling("jstack").toString(), "" + pipeline.pid())
              .redirectErrorStream(true).start();
          String threads = new String(jstack.getInputStream().readAllBytes());
          throw new AssertionError("no exit 90 s after SIGTERM:\n" + threads + "\nlog:\n" + PipelineProcess.log(dir, 1));
        }
        String log = PipelineProcess.log(dir, 1);
        assertEquals(0, pipeline.exitValue(), log);
        assertTrue(log.contains("tally stream: pipeline stopped in "), log);
      } finally {
        pipeline.destroyForcibly();
      }
    }
  }
}
