package dev.tally.runners.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.generator.Manifest;
import dev.tally.pipelines.RunSummary;
import dev.tally.runners.compare.Counts;
import dev.tally.runners.compare.LegRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster (Master + Worker, started by the stack classes on free ports), the bundled
 * pipelines jar submitted to it with spark-submit, and every result compared exactly with what the test computes
 * from the generator's records. Afterwards nothing the cluster started may still run.
 */
@Tag("integration")
class StandaloneClusterSubmitTest {
  private static final int EVENTS = 5_000;
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration APP_LISTING_TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path dir;

  private static LocalStack stack;
  /** Master and Worker. */
  private static final List<ProcStat> started = new ArrayList<>();
  /** Every executor JVM seen under the Worker during the run, by pid. */
  private static final Map<Long, ProcStat> executors = new ConcurrentHashMap<>();

  @BeforeAll
  static void startCluster() {
    PrintStream out = System.out;
    stack = new LocalStack(TestStacks.onFreePorts(dir.resolve("stack")).build(), out);
    stack.up(EnumSet.of(StackService.SPARK));
    started.add(TestStacks.leader(stack.spark().master()).orElseThrow());
    for (ManagedProcess worker : stack.spark().knownWorkers()) {
      started.add(TestStacks.leader(worker).orElseThrow());
    }
    assertEquals(2, started.size(), "a master and one worker");
  }

  @AfterAll
  static void stopClusterAndCheckNothingIsLeft() {
    if (stack == null) {
      return;
    }
    List<ProcStat> leaders = new ArrayList<>();
    TestStacks.leader(stack.spark().master()).ifPresent(leaders::add);
    stack.spark().knownWorkers().forEach(worker -> TestStacks.leader(worker).ifPresent(leaders::add));
    stack.down(EnumSet.of(StackService.SPARK));
    for (ProcStat process : started) {
      assertFalse(TestStacks.stillRuns(process), "still running after down: pid " + process.pid());
    }
    for (ProcStat process : executors.values()) {
      assertFalse(TestStacks.stillRuns(process), "executor still running after down: pid " + process.pid());
    }
    for (ProcStat leader : leaders) {
      assertEquals(List.of(), TestStacks.sessionOf(leader), "processes left in the session of pid " + leader.pid());
    }
    assertEquals(ServiceStatus.State.STOPPED, stack.spark().status().state());
  }

  @Test
  void bundledPipelineRunsOnTheClusterWithExactResults() throws Exception {
    GeneratedData data = EventGenerator.generate(GeneratorConfig.builder().events(EVENTS).outputDir(dir.resolve("in")).build());
    Manifest.Totals injected = data.manifest().totals();
    assertTrue(injected.invalid() > 0 && injected.duplicates() > 0 && injected.late() > 0, "the generator injected nothing");
    Path out = dir.resolve("out");
    Path driverLog = dir.resolve("driver.log");

    SparkSubmit submit = SparkSubmit.toStack(stack.settings());
    assertEquals(stack.spark().masterUrl(), submit.master());
    ProcessBuilder builder =
        submit
            .processBuilder(List.of("--input=" + dir.resolve("in") + "/events-*", "--output=" + out))
            .redirectErrorStream(true)
            .redirectOutput(driverLog.toFile());
    Process driver = builder.start();
    Instant deadline = Instant.now().plus(SUBMIT_TIMEOUT);
    // Executors come and go with the application: watch the Worker's session while the driver runs.
    while (!driver.waitFor(200, TimeUnit.MILLISECONDS)) {
      for (ManagedProcess worker : stack.spark().knownWorkers()) {
        long workerPid = TestStacks.leader(worker).map(ProcStat::pid).orElse(-1L);
        worker.processes().stream().filter(process -> process.pid() != workerPid).forEach(process -> executors.putIfAbsent(process.pid(), process));
      }
      if (Instant.now().isAfter(deadline)) {
        driver.destroyForcibly().waitFor();
        throw new AssertionError("spark-submit did not finish within " + SUBMIT_TIMEOUT + ":\n" + LegRunner.tail(driverLog, 40));
      }
    }
    assertEquals(0, driver.exitValue(), () -> "spark-submit failed; last lines of its output:\n" + LegRunner.tail(driverLog, 40));
    assertFalse(executors.isEmpty(), "no executor JVM ran under the Worker");

    JsonNode app = finishedApplication();
    assertEquals("FINISHED", app.path("state").asText());
    assertEquals("BatchPipeline", app.path("name").asText());

    RunSummary summary = RunSummary.fromJson(Files.readString(out.resolve(RunSummary.FILE_NAME)));
    assertEquals(injected.records(), summary.read());
    assertEquals(injected.validUnique(), summary.valid());
    assertEquals(injected.duplicates(), summary.duplicates());
    assertEquals(injected.invalid(), summary.deadLetters());
    Map<String, Long> deadLettersByReason = new TreeMap<>(summary.deadLettersByReason());
    deadLettersByReason.values().removeIf(count -> count == 0);
    assertEquals(new TreeMap<>(injected.invalidByReason()), deadLettersByReason);
    assertEquals("SparkRunner", summary.runner());

    Map<CountKey, Long> expected = GroundTruth.counts(data.records(), Duration.ofHours(1));
    assertEquals(expected, Counts.read(out.resolve("counts")).rows());
    assertEquals(expected.size(), summary.countRows());
  }

  /** The one application in the Master's completedapps, once the Master has moved it there. */
  private static JsonNode finishedApplication() {
    Instant deadline = Instant.now().plus(APP_LISTING_TIMEOUT);
    JsonNode json = null;
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> answer = stack.spark().masterJson();
      if (answer.isPresent()) {
        json = answer.get();
        if (json.path("completedapps").size() == 1 && json.path("activeapps").size() == 0) {
          return json.path("completedapps").get(0);
        }
      }
      ManagedProcess.sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("the Master does not list exactly one completed application: " + json);
  }
}
