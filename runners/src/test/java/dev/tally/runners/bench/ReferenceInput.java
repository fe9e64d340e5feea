package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.generator.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A small generated input rich in what the reference counts must get right: many invalid records (every injected
 * defect), duplicates and late events, over three files.
 *
 * @param glob the files, as the legs take them
 * @param expected what the generator says the counts are
 */
record ReferenceInput(String glob, Map<CountKey, Long> expected) {
  static ReferenceInput generate(Path dir) throws IOException {
    GeneratorConfig config =
        GeneratorConfig.builder()
            .events(4_000)
            .files(3)
            .invalidRate(0.1)
            .duplicateRate(0.1)
            .lateRate(0.1)
            .outputDir(dir)
            .build();
    GeneratedData data = EventGenerator.generate(config);
    Manifest.Totals injected = data.manifest().totals();
    assertTrue(injected.invalid() > 300 && injected.duplicates() > 300 && injected.late() > 300, "injected " + injected);
    assertTrue(injected.invalidByReason().values().stream().allMatch(count -> count > 0), "every defect " + injected);
    return new ReferenceInput(
        dir.toAbsolutePath() + "/" + GeneratorConfig.FILE_PREFIX + "*",
        GroundTruth.counts(data.records(), Duration.ofHours(1)));
  }
}
