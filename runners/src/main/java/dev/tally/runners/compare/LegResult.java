package dev.tally.runners.compare;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One run of a leg.
 *
 * @param leg the leg's name
 * @param exitCode the process's exit code (-1 when it was stopped for taking too long)
 * @param wallTime from starting the process to its exit: what a user waits, start-up included
 * @param counts what it wrote to counts/, or null when it failed
 * @param log the process's output
 */
public record LegResult(String leg, int exitCode, Duration wallTime, Counts counts, Path log) {
  public static final int TIMED_OUT = -1;

  public boolean succeeded() {
    return exitCode == 0 && counts != null;
  }

  public double seconds() {
    return wallTime.toNanos() / 1e9;
  }

  /** Input records per second of wall time. */
  public double eventsPerSecond(long records) {
    return records / seconds();
  }

  /** Why it failed, for tables: exit code or time-out, and where its output is. */
  public String failure() {
    return (exitCode == TIMED_OUT ? "timed out" : "exit code " + exitCode) + "; output in " + log;
  }
}
