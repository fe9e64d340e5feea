package dev.tally.runners.report;

import dev.tally.pipelines.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;

/** How the report and dashboard commands end: a problem the user can fix is one line, never a stack trace. */
final class CliErrors {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  private CliErrors() {}

  /** Runs {@code command} with {@code args}; returns the exit code. */
  static int execute(String name, Object command, String... args) {
    return execute(name, command, new PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(String, Object, String...)}, with messages to {@code err}. */
  static int execute(String name, Object command, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(command).setErr(err);
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          exception.getCommandLine().getErr().println(name + ": " + exception.getMessage() + " (see --help)");
          return EXIT_USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          if (exception instanceof UserError) {
            cmd.getErr().println(name + ": " + exception.getMessage());
            return EXIT_FAILURE;
          }
          throw exception;
        });
    try {
      JdbcFlags.refusePasswordFlag(args);
    } catch (UserError e) {
      commandLine.getErr().println(name + ": " + e.getMessage());
      return EXIT_USAGE;
    }
    return commandLine.execute(args);
  }
}
