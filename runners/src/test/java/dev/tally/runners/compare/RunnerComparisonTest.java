package dev.tally.runners.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.generator.Manifest;
import dev.tally.runners.stack.LocalStack;
import dev.tally.runners.stack.StackService;
import dev.tally.runners.stack.StackSettings;
import dev.tally.runners.stack.TestStacks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner comparison on a small generated input: the batch pipeline, unchanged, on the Direct runner, Spark
 * local[2], a real Spark standalone cluster (spark-submit of the bundled jar; Master and Worker on free ports) and
 * Flink's embedded cluster, each in its own JVM, must all write exactly the counts the generator says are right.
 */
@Tag("integration")
class RunnerComparisonTest {
  // The Direct runner needs about 20 s for 300 events on an idle machine.
  private static final int EVENTS = 300;

  @TempDir Path dir;

  @Test
  void everyRunnerWritesTheGeneratorsCounts() throws Exception {
    GeneratedData data =
        EventGenerator.generate(GeneratorConfig.builder().events(EVENTS).files(2).outputDir(dir.resolve("input")).build());
    Manifest.Totals injected = data.manifest().totals();
    assertTrue(injected.invalid() > 0 && injected.duplicates() > 0 && injected.late() > 0, "the generator injected nothing");
    Map<CountKey, Long> expected = GroundTruth.counts(data.records(), Duration.ofHours(1));

    StackSettings settings = TestStacks.onFreePorts(dir.resolve("stack")).build();
    LocalStack stack = new LocalStack(settings, System.out);
    try {
      // Surefire's own classpath property: java.class.path may be a manifest-only jar deleted at exit.
      LegEnvironment environment =
          new LegEnvironment(settings, System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "1g");
      List<BeamLeg> legs =
          Arrays.stream(BeamRunner.values()).map(runner -> new BeamLeg(runner, environment, List.of())).toList();
      Comparison.Outcome outcome =
          new Comparison(new LegRunner(Duration.ofMinutes(10)), System.out)
              .run(legs, dir.resolve("input") + "/" + GeneratorConfig.FILE_PREFIX + "*", dir.resolve("work"),
                  Counts.of(expected), EVENTS);
      System.out.print(outcome.table());

      assertEquals(List.of("direct", "spark-local", "spark-cluster", "flink"),
          outcome.results().stream().map(LegResult::leg).toList());
      for (LegResult result : outcome.results()) {
        assertTrue(result.succeeded(), () -> result.leg() + " failed:\n" + LegRunner.tail(result.log(), 40));
        assertEquals(expected, result.counts().rows(), result.leg() + " counted differently");
      }
      assertTrue(outcome.allAgree());
      // One checksum for all: the four runs and the generator's truth.
      assertEquals(1, outcome.results().stream().map(result -> result.counts().checksum()).distinct().count());
      assertEquals(Counts.of(expected).checksum(), outcome.results().get(0).counts().checksum());
    } finally {
      stack.down(EnumSet.of(StackService.SPARK));
    }
  }
}
