package dev.tally.runners.compare;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One way of counting an input: a Beam runner, or a reference implementation of the same counts. Each run is a
 * process of its own, so no engine's classes, caches or threads leak into another's run.
 */
public interface Leg {
  /** The name in tables and on the command line, e.g. {@code spark-local}. */
  String name();

  /** Makes sure what the leg needs outside its own process runs (e.g. a cluster), saying what it started. */
  default void prepare(PrintStream out) {}

  /**
   * The process that counts the files matching {@code input} (a local glob) into {@code output}/counts/ as Parquet
   * in Tally's counts layout. {@code output} does not exist yet.
   */
  ProcessBuilder process(String input, Path output);
}
