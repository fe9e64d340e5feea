package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.runners.stack.ManagedProcess;
import dev.tally.runners.stack.ProcStat;
import dev.tally.runners.stack.SparkStandalone;
import dev.tally.runners.stack.StackService;
import dev.tally.runners.stack.StackSettings;
import dev.tally.runners.stack.StreamingJobFlags;
import dev.tally.runners.stack.SubmitCli;
import dev.tally.runners.stack.TestStacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tally submit --pipeline=stream} for real: a Spark standalone cluster and a Kafka broker on free ports, a
 * backlog of events with duplicates, invalid and late ones in three unevenly filled partitions, the bundled jar's
 * StreamingPipeline submitted by SubmitCli in a JVM of its own (as the launcher runs it, with the stack defaults
 * for the checkpoint, batch interval and Kafka), exact counts and dead letters in PostgreSQL. Then SIGTERM to the
 * submit: the driver must exit with it, the Master must move the application to its completed ones and the
 * Worker must end its executors. Waits are on progress, never on speed.
 */
@Tag("integration")
class StreamingClusterSubmitTest {
  private static final int EVENTS = 3000;
  private static final int LIVE_EVENTS = 5;
  /** Start-up on a cold, loaded cluster (executor start, jar fetch) can take minutes; any new row resets it. */
  private static final Duration STALL = Duration.ofMinutes(5);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration APP_END_TIMEOUT = Duration.ofMinutes(1);
  private static final String APP_NAME = "StreamingPipeline";

  @TempDir Path dir;

  @Test
  void submittedStreamingPipelineCountsExactlyAndStopsWithTheSubmit() throws Exception {
    try (StreamTestServices services = new StreamTestServices(dir, EnumSet.of(StackService.KAFKA, StackService.SPARK))) {
      SparkStandalone spark = services.stack.spark();
      StreamTestEvents events = new StreamTestEvents(13);
      services.produce(events.next(EVENTS));

      Path log = PipelineProcess.logFile(dir, 1);
      long started = System.nanoTime();
      Process submit = startSubmit(services, log);
      Map<Long, ProcStat> executors = new ConcurrentHashMap<>();
      try {
        long firstRowMillis = awaitFirstRow(services, submit, () -> watchExecutors(spark, executors));
        services.awaitStored(events.distinctValid(), services.expectedDeadLetters.size(), STALL,
            () -> watchExecutors(spark, executors) && submit.isAlive());
        long backlogMillis = (System.nanoTime() - started) / 1_000_000;
        // A measurement, not a speed test: on an overloaded machine queued micro-batches make each take a minute.
        List<Long> latencies = services.liveLatencies(events, LIVE_EVENTS, STALL);
        System.out.printf(
            "StreamingClusterSubmitTest: first row %.1f s and all %d records %.1f s after ./tally submit started"
                + " (cluster start-up included); live latency produce -> count visible over %d events: min %d ms,"
                + " median %d ms, max %d ms%n",
            firstRowMillis / 1000.0, EVENTS, backlogMillis / 1000.0, LIVE_EVENTS, latencies.get(0),
            latencies.get(LIVE_EVENTS / 2), latencies.get(LIVE_EVENTS - 1));

        JsonNode running = onlyApplication(spark, "activeapps");
        assertEquals(APP_NAME, running.path("name").asText());
        assertEquals("RUNNING", running.path("state").asText());
        assertFalse(executors.isEmpty(), "no executor JVM ran under the Worker");

        services.assertStoredExactly(events, "Spark standalone cluster");
        assertTrue(Files.isDirectory(Path.of(StreamingJobFlags.checkpointDir(services.settings))),
            "the default checkpoint folder in the stack's folder");

        List<ProcessHandle> driver = submit.descendants().toList();
        assertFalse(driver.isEmpty(), "the submit runs the driver as its child");
        submit.destroy(); // SIGTERM, as kill or a service manager sends it
        assertTrue(submit.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
            () -> "the submit did not exit " + STOP_TIMEOUT + " after SIGTERM:\n" + PipelineProcess.log(dir, 1));
        assertEquals(143, submit.exitValue(), "ended by its SIGTERM (128 + 15)");
        for (ProcessHandle process : driver) {
          awaitTrue(() -> !process.isAlive(), Duration.ofSeconds(10), "driver pid " + process.pid() + " outlived the submit");
        }
        String output = Files.readString(log);
        assertTrue(output.contains("tally submit: stopping the driver"), output);
        assertTrue(output.contains("tally stream: pipeline stopped in "), output);
      } finally {
        submit.destroyForcibly();
      }

      JsonNode ended = awaitApplicationEnded(spark);
      assertEquals(APP_NAME, ended.path("name").asText());
      assertEquals("FINISHED", ended.path("state").asText());
      for (ProcStat executor : executors.values()) {
        awaitTrue(() -> !TestStacks.stillRuns(executor), APP_END_TIMEOUT, "executor pid " + executor.pid() + " outlived the application");
      }
    }
  }

  /** SubmitCli in a JVM of its own, as {@code ./tally submit --pipeline=stream} runs it, output to {@code log}. */
  private static Process startSubmit(StreamTestServices services, Path log) throws Exception {
    StackSettings settings = services.settings;
    List<String> command = new ArrayList<>(List.of(
        settings.javaExecutable().toString(), "-Xmx256m", "-Dtally.home=" + settings.home(),
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        SubmitCli.class.getName(), "--stack-dir=" + settings.dir(), "--pipeline=stream"));
    List<String> flags = services.pipelineFlags("cluster-submit-test");
    // The stack's broker is the default the submit must find by itself.
    flags.removeIf(flag -> flag.startsWith("--bootstrapServers="));
    command.addAll(flags);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Milliseconds from now until the first event row is stored; calls {@code watch} meanwhile. */
  private long awaitFirstRow(StreamTestServices services, Process submit, Runnable watch) throws Exception {
    long begin = System.nanoTime();
    Instant deadline = Instant.now().plus(STALL);
    while (services.count("user_events") == 0) {
      watch.run();
      assertTrue(submit.isAlive(), () -> "the submit ended before storing anything:\n" + PipelineProcess.log(dir, 1));
      assertTrue(Instant.now().isBefore(deadline), () -> "nothing stored " + STALL + " after the submit started:\n"
          + PipelineProcess.log(dir, 1));
      Thread.sleep(250);
    }
    return (System.nanoTime() - begin) / 1_000_000;
  }

  /** Notes every process in the Worker's session besides the Worker itself: the executors. Always true. */
  private static boolean watchExecutors(SparkStandalone spark, Map<Long, ProcStat> executors) {
    for (ManagedProcess worker : spark.knownWorkers()) {
      List<ProcStat> session = worker.processes();
      session.stream().skip(1).forEach(process -> executors.putIfAbsent(process.pid(), process));
    }
    return true;
  }

  private JsonNode onlyApplication(SparkStandalone spark, String list) {
    JsonNode json = spark.masterJson().orElseThrow(() -> new AssertionError("the Master does not answer"));
    assertEquals(1, json.path(list).size(), () -> list + " of the Master: " + json + "\n" + PipelineProcess.log(dir, 1));
    return json.path(list).get(0);
  }

  /** The one application in the Master's completedapps, once no application is active any more. */
  private JsonNode awaitApplicationEnded(SparkStandalone spark) throws InterruptedException {
    Instant deadline = Instant.now().plus(APP_END_TIMEOUT);
    Optional<JsonNode> json = Optional.empty();
    while (Instant.now().isBefore(deadline)) {
      json = spark.masterJson();
      if (json.isPresent() && json.get().path("activeapps").isEmpty() && json.get().path("completedapps").size() == 1) {
        return json.get().path("completedapps").get(0);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the application is still active " + APP_END_TIMEOUT + " after the submit stopped: "
        + json.map(JsonNode::toString).orElse("(no answer)") + "\n" + PipelineProcess.log(dir, 1));
  }

  private static void awaitTrue(Supplier<Boolean> condition, Duration timeout, String message)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.get()) {
      assertTrue(Instant.now().isBefore(deadline), message);
      Thread.sleep(200);
    }
  }
}
