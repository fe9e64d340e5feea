package dev.tally.generator;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code tally generate} in the test JVM and keeps what it printed. */
final class CliRun {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** @return the exit code */
  int run(String... args) {
    CommandLine command = new CommandLine(new GeneratorCli());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
