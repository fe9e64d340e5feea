package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs ./tally bench with bad flags and checks the one line it prints. */
final class BenchUsageErrors {
  private BenchUsageErrors() {}

  /** ./tally bench {@code args} exits 2 (usage) having printed exactly {@code message}. */
  static void assertUsageError(String message, String... args) {
    CommandLine commandLine = BenchCli.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));
    assertEquals(2, commandLine.execute(args));
    assertEquals(message, err.toString().strip());
  }
}
