package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.runners.compare.Counts;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The benchmark's floor counts exactly what the generator says, invalid, duplicate and late records included. */
class SingleThreadCountTest {
  @TempDir Path dir;

  @Test
  void countsWhatTheGeneratorSays() throws Exception {
    ReferenceInput input = ReferenceInput.generate(dir.resolve("in"));
    Map<CountKey, Long> counts = SingleThreadCount.count(InputFiles.matching(input.glob()), CountingRules.hourlyDefault());
    assertEquals(input.expected(), counts);
  }

  @Test
  void itsMainWritesTheCountsAsParquet() throws Exception {
    ReferenceInput input = ReferenceInput.generate(dir.resolve("in"));
    int exitCode =
        new CommandLine(new SingleThreadCount()).execute("--input=" + input.glob(), "--output=" + dir.resolve("out"));
    assertEquals(0, exitCode);
    assertEquals(input.expected(), Counts.read(dir.resolve("out/counts")).rows());
  }
}
