package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --maxInputFiles: a glob matching more data files than allowed is refused before anything is read or written,
 * in one line naming the flag; hidden files (_*, .*) do not count.
 */
class InputLimitsTest {
  @TempDir Path dir;
  private Path in;

  @BeforeEach
  void threeDataFilesAndAManifest() throws Exception {
    in = Files.createDirectories(dir.resolve("in"));
    for (String name : new String[] {"a.csv", "b.csv", "c.csv", "_MANIFEST.json", ".d.csv.tmp"}) {
      Files.writeString(in.resolve(name), "event_id,user_id,event_type,event_time\n");
    }
  }

  @Test
  void moreFilesThanTheLimitAreRefusedBeforeAnythingIsWritten() {
    Path out = dir.resolve("out");
    UserError error =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--runner=DirectRunner", "--input=" + in + "/*", "--output=" + out, "--maxInputFiles=2")));

    assertEquals("--input=" + in + "/* matches 3 files, more than --maxInputFiles=2: narrow the glob, split the "
        + "input into several runs, or raise --maxInputFiles", error.getMessage());
    assertTrue(Files.notExists(out), "nothing written");
  }

  @Test
  void hiddenFilesDoNotCountAndTheLimitItselfIsAllowed() throws Exception {
    // An output folder that already holds a file fails the next check: proof that the input check passed.
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("old"), "x");
    UserError error =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--runner=DirectRunner", "--input=" + in + "/*", "--output=" + out, "--maxInputFiles=3")));

    assertTrue(error.getMessage().startsWith("--output="), error.getMessage());
  }

  @Test
  void aLimitBelowOneIsRefused() {
    UserError error =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--runner=DirectRunner", "--input=" + in + "/*", "--output=" + dir.resolve("out"), "--maxInputFiles=0")));

    assertEquals("--maxInputFiles must be at least 1, got 0", error.getMessage());
  }
}
