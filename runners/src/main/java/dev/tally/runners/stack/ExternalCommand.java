package dev.tally.runners.stack;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived command (pg_lsclusters, psql, pg_ctlcluster): runs in {@code /}, reads {@code stdin} (so secrets
 * and SQL never show in {@code ps}), and returns its exit code with stdout and stderr merged.
 */
public final class ExternalCommand {
  private ExternalCommand() {}

  /** What a command did. */
  public record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** True if {@code program} is on the PATH. */
  public static boolean exists(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code command} to completion.
   *
   * @throws StackException if it cannot be started or does not finish within {@code timeout}
   */
  public static Result run(List<String> command, String stdin, Duration timeout) {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new StackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> copy(process.getInputStream(), output), "read-" + command.get(0));
    reader.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The command exited without reading all of its input; its exit code and output tell why.
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new StackException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new StackException("interrupted while running " + command.get(0), e);
    }
    return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8).strip());
  }

  private static void copy(InputStream from, ByteArrayOutputStream to) {
    try (from) {
      from.transferTo(to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
