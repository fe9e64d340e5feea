package dev.tally.runners.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A JVM's heap, as {@code jstat -gc PID} reports it: used = survivor spaces + eden + old generation used, committed =
 * the same spaces' capacities (what {@code jcmd PID GC.heap_info} calls the heap's total). jstat prints these columns
 * for every collector, unlike GC.heap_info, whose layout differs per collector.
 *
 * @param usedKb heap in use, KiB
 * @param committedKb heap the JVM has reserved from the OS, KiB
 */
record HeapUsage(double usedKb, double committedKb) {
  private static final List<String> USED = List.of("S0U", "S1U", "EU", "OU");
  private static final List<String> COMMITTED = List.of("S0C", "S1C", "EC", "OC");
  private static final long TIMEOUT_SECONDS = 30;

  /** Used heap in MiB. */
  double usedMb() {
    return usedKb / 1024;
  }

  /** Committed heap in MiB. */
  double committedMb() {
    return committedKb / 1024;
  }

  /** {@code 412 / 1,024 MB}: used / committed. */
  String cell() {
    return String.format(Locale.ROOT, "%,.0f / %,.0f MB", usedMb(), committedMb());
  }

  /**
   * Parses jstat -gc output: a header line of column names, then one line of values. A column jstat cannot fill
   * ({@code -}) counts as 0.
   *
   * @throws IllegalArgumentException if it is not that
   */
  static HeapUsage parseJstatGc(String output) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    if (lines.size() != 2) {
      throw new IllegalArgumentException("not jstat -gc output (a header and one line of values): " + output.strip());
    }
    List<String> names = List.of(lines.get(0).strip().split("\\s+"));
    List<String> values = List.of(lines.get(1).strip().split("\\s+"));
    if (names.size() != values.size()) {
      throw new IllegalArgumentException("jstat -gc: " + names.size() + " columns but " + values.size() + " values");
    }
    return new HeapUsage(sum(names, values, USED), sum(names, values, COMMITTED));
  }

  private static double sum(List<String> names, List<String> values, List<String> columns) {
    double total = 0;
    for (String column : columns) {
      int index = names.indexOf(column);
      if (index < 0) {
        throw new IllegalArgumentException("jstat -gc: no column " + column + " in " + names);
      }
      String value = values.get(index);
      if (!value.equals("-")) {
        try {
          total += Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("jstat -gc: column " + column + " is not a number: " + value);
        }
      }
    }
    return total;
  }

  /**
   * The heap of the local JVM {@code pid}, by running {@code jstat -gc} from {@code javaHome}.
   *
   * @throws IllegalStateException with the reason, if that fails (the JVM has exited, jstat is missing)
   */
  static HeapUsage read(Path javaHome, long pid) throws InterruptedException {
    Path jstat = javaHome.resolve("bin").resolve("jstat");
    String output;
    try {
      Process process = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid)).redirectErrorStream(true).start();
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(jstat + " -gc " + pid + " did not end within " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(jstat + " -gc " + pid + " failed: " + output.strip().lines().findFirst().orElse(""));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + jstat + ": " + e.getMessage());
    }
    try {
      return parseJstatGc(output);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }
}
