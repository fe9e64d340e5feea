package dev.tally.runners.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Mistakes on the command line get one line naming the fix and exit code 2, before anything runs. */
class CompareCliTest {
  @TempDir Path dir;

  @Test
  void anUnknownRunnerIsNamedWithTheValidOnes() {
    assertUsageError(
        "tally compare: --runners: unknown runner 'spark': use direct, spark-local, spark-cluster, flink (see --help)",
        "--runners=direct,spark");
  }

  @Test
  void aSchemaThatDoesNotLoadIsOneLine() {
    assertUsageError(
        "tally compare: --schema: Schema file nope.json does not exist: pass the path of a JSON schema file or one of"
            + " the built-in schemas default, db-actions, card-transactions, rees46, retailrocket (see --help)",
        "--schema=nope.json");
  }

  @Test
  void tooFewEvents() {
    assertUsageError("tally compare: --events must be at least 1, got 0 (see --help)", "--events=0");
  }

  private void assertUsageError(String message, String... args) {
    CommandLine commandLine = CompareCli.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--work-dir=" + dir.resolve("work");
    assertEquals(2, commandLine.execute(all));
    assertEquals(message, err.toString().strip());
  }
}
