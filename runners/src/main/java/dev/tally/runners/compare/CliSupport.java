package dev.tally.runners.compare;

import dev.tally.runners.stack.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** What {@code ./tally compare} and {@code ./tally bench} share on the command line: error handling, work folders. */
public final class CliSupport {
  public static final int EXIT_OK = 0;
  /** A run failed or differs, or something it needs is missing (the message names the fix). */
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private CliSupport() {}

  /** One line per error, prefixed with the command's name: exit 1 for what the user can fix, 2 for bad flags. */
  public static CommandLine configure(CommandLine commandLine, String name) {
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          if (exception instanceof CompareException || exception instanceof StackException) {
            cmd.getErr().println(name + ": " + exception.getMessage());
            return EXIT_FAILED;
          }
          throw exception;
        });
    // Bad flags, from picocli or from call(): one line, no usage page.
    commandLine.setParameterExceptionHandler(
        (exception, args) -> {
          exception.getCommandLine().getErr().println(name + ": " + exception.getMessage() + " (see --help)");
          return EXIT_USAGE;
        });
    return commandLine;
  }

  /**
   * Creates the folder a command writes to: {@code requested}, else a new {@code <parent>/<local time>}.
   *
   * @throws ParameterException if it exists and is not empty
   */
  public static Path workDir(CommandLine commandLine, Path requested, Path parent) throws IOException {
    Path dir =
        requested != null
            ? requested
            : parent.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss", Locale.ROOT)));
    dir = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new ParameterException(commandLine, "--work-dir " + dir + " is not empty: choose another folder or delete it");
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }
}
