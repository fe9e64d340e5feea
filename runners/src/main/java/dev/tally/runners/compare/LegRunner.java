package dev.tally.runners.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a leg's process to completion with its output in a log file, times it and reads back its counts. */
public final class LegRunner {
  private final Duration timeout;

  /** @param timeout how long one run may take before it is stopped and counted as failed */
  public LegRunner(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Runs {@code leg} on {@code input} into {@code output} (which must not exist), its output to {@code log}.
   *
   * @throws CompareException if the process cannot be started or its counts cannot be read
   */
  public LegResult run(Leg leg, String input, Path output, Path log) throws InterruptedException {
    ProcessBuilder builder = leg.process(input, output).redirectErrorStream(true).redirectOutput(log.toFile());
    long start = System.nanoTime();
    Process process;
    try {
      Files.createDirectories(log.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new CompareException("cannot start " + leg.name() + " (" + builder.command().get(0) + "): " + e.getMessage());
    }
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      stop(process);
      throw e;
    }
    Duration wallTime = Duration.ofNanos(System.nanoTime() - start);
    if (!finished) {
      stop(process);
      return new LegResult(leg.name(), LegResult.TIMED_OUT, wallTime, null, log);
    }
    int exitCode = process.exitValue();
    if (exitCode != 0) {
      return new LegResult(leg.name(), exitCode, wallTime, null, log);
    }
    try {
      return new LegResult(leg.name(), exitCode, wallTime, Counts.read(output.resolve("counts")), log);
    } catch (IOException | RuntimeException e) {
      throw new CompareException(
          leg.name() + " exited normally but its counts in " + output.resolve("counts") + " cannot be read: " + e);
    }
  }

  /** The last {@code lines} lines of a run's output, to show why it failed. */
  public static String tail(Path log, int lines) {
    try {
      // Not readAllLines: a process may print bytes that are not UTF-8.
      List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process and everything it started (a spark-submit driver, Flink's threads are in-process). */
  private static void stop(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor();
  }
}
