package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-line errors of {@code --source=files}, given before any pipeline or database is touched. */
class HotFolderFlagsTest {
  @TempDir Path dir;

  private static String error(String... flags) {
    return assertThrows(UserError.class, () -> StreamingPipeline.start(StreamingPipeline.parseOptions(flags)))
        .getMessage();
  }

  @Test
  void aMissingHotFolderNamesTheFix() {
    Path missing = dir.resolve("no-such-folder");
    assertEquals(
        "the hot folder " + missing + " of --input=" + missing + "/*.csv does not exist or cannot be read: create it"
            + " (mkdir -p " + missing + ") or fix --input",
        error("--source=files", "--input=" + missing + "/*.csv", "--runner=DirectRunner"));
  }

  @Test
  void theSparkRunnerIsRefusedWithTheRunnerThatWorks() {
    assertEquals(
        "--source=files does not run on the Spark runner (Beam 2.62's Spark streaming cannot run Beam's Watch, which"
            + " lists the hot folder): use --runner=DirectRunner --blockOnRun=false",
        error("--source=files", "--input=" + dir + "/*.csv", "--runner=SparkRunner"));
  }

  @Test
  void badSourceInputAndDurationsAreNamed() {
    assertEquals("--source=ftp is not a source: use --source=kafka or --source=files", error("--source=ftp"));
    assertEquals(
        "--source=files needs --input, the hot folder and its files, e.g. --input='data/hot/*.csv'",
        error("--source=files", "--runner=DirectRunner"));
    assertEquals(
        "--input=" + dir + "/*/x.csv must name a folder and the files in it, with wildcards in the file name only,"
            + " e.g. --input='data/hot/*.csv'",
        error("--source=files", "--input=" + dir + "/*/x.csv", "--runner=DirectRunner"));
    assertEquals(
        "--pollInterval=PT0S must be a positive ISO-8601 duration, e.g. PT5S",
        error("--source=files", "--input=" + dir + "/*.csv", "--pollInterval=PT0S"));
  }
}
