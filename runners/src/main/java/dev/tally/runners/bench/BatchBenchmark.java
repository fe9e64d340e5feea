package dev.tally.runners.bench;

import dev.tally.runners.compare.Leg;
import dev.tally.runners.compare.LegResult;
import dev.tally.runners.compare.LegRunner;
import dev.tally.runners.compare.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs every leg several times on one input, round after round (so a burst of load elsewhere hits all legs alike),
 * and tabulates events/s per run, the median, and the time ratios to the native Spark job and to the plain Java
 * loop, with a check that every run wrote the same counts.
 */
public final class BatchBenchmark {
  private static final int CHECKSUM_CHARS = 16;

  private final LegRunner runner;
  private final PrintStream out;
  private final boolean keepOutputs;

  public BatchBenchmark(LegRunner runner, PrintStream out, boolean keepOutputs) {
    this.runner = runner;
    this.out = out;
    this.keepOutputs = keepOutputs;
  }

  /**
   * The runs of each leg, in the legs' order.
   *
   * @param runs leg name -> its runs in order
   * @param records input records, for events/s
   */
  public record Result(Map<String, List<LegResult>> runs, long records) {

    /** Every run succeeded and wrote the same counts. */
    public boolean allAgree() {
      return all().allMatch(LegResult::succeeded) && checksums().size() == 1;
    }

    /** The distinct checksums of the successful runs. */
    public Set<String> checksums() {
      Set<String> checksums = new LinkedHashSet<>();
      all().filter(LegResult::succeeded).forEach(run -> checksums.add(run.counts().checksum()));
      return checksums;
    }

    /** The median wall time of a leg's successful runs in seconds, or NaN if none succeeded. */
    public double medianSeconds(String leg) {
      List<Double> seconds =
          runs.get(leg).stream().filter(LegResult::succeeded).map(LegResult::seconds).sorted().toList();
      if (seconds.isEmpty()) {
        return Double.NaN;
      }
      int middle = seconds.size() / 2;
      return seconds.size() % 2 == 1 ? seconds.get(middle) : (seconds.get(middle - 1) + seconds.get(middle)) / 2;
    }

    /** runner, each run's seconds and events/s, the median, ratios, checksum. */
    public String table() {
      int runCount = runs.values().stream().mapToInt(List::size).max().orElse(0);
      List<String> header = new ArrayList<>(List.of("runner"));
      for (int run = 1; run <= runCount; run++) {
        header.add("run " + run);
      }
      header.addAll(List.of("median", "events/s", "time / native Spark", "time / Java loop", "counts (SHA-256)"));
      List<String[]> rows = new ArrayList<>();
      rows.add(header.toArray(String[]::new));
      double nativeSpark = runs.containsKey(ReferenceLeg.NATIVE_SPARK) ? medianSeconds(ReferenceLeg.NATIVE_SPARK) : Double.NaN;
      double javaLoop = runs.containsKey(ReferenceLeg.JAVA_LOOP) ? medianSeconds(ReferenceLeg.JAVA_LOOP) : Double.NaN;
      runs.forEach(
          (leg, legRuns) -> {
            List<String> row = new ArrayList<>(List.of(leg));
            for (int run = 0; run < runCount; run++) {
              row.add(run < legRuns.size() ? cell(legRuns.get(run)) : "");
            }
            double median = medianSeconds(leg);
            row.add(Double.isNaN(median) ? "FAILED" : String.format(Locale.ROOT, "%.1f s", median));
            row.add(Double.isNaN(median) ? "" : String.format(Locale.ROOT, "%,.0f", records / median));
            row.add(ratio(median, nativeSpark));
            row.add(ratio(median, javaLoop));
            row.add(legRuns.stream()
                .filter(LegResult::succeeded)
                .map(run -> run.counts().checksum().substring(0, CHECKSUM_CHARS))
                .distinct()
                .reduce((a, b) -> a + " " + b)
                .orElse(""));
            rows.add(row.toArray(String[]::new));
          });
      int[] right = java.util.stream.IntStream.range(1, header.size() - 1).toArray();
      return Tables.format(rows, right);
    }

    private String cell(LegResult run) {
      return run.succeeded()
          ? String.format(Locale.ROOT, "%.1f s (%,.0f/s)", run.seconds(), run.eventsPerSecond(records))
          : "FAILED";
    }

    private static String ratio(double seconds, double reference) {
      return Double.isNaN(seconds) || Double.isNaN(reference) ? "" : String.format(Locale.ROOT, "%.2fx", seconds / reference);
    }

    private Stream<LegResult> all() {
      return runs.values().stream().flatMap(List::stream);
    }
  }

  /**
   * Runs {@code rounds} rounds of every leg on {@code input}; outputs go to {@code workDir}/run-N/LEG/ (deleted once
   * their counts are read, unless outputs are kept), logs to {@code workDir}/run-N/LEG.log.
   */
  public Result run(List<? extends Leg> legs, String input, long records, int rounds, Path workDir)
      throws InterruptedException {
    for (Leg leg : legs) {
      leg.prepare(out);
    }
    Map<String, List<LegResult>> runs = new LinkedHashMap<>();
    legs.forEach(leg -> runs.put(leg.name(), new ArrayList<>()));
    for (int round = 1; round <= rounds; round++) {
      Path roundDir = workDir.resolve("run-" + round);
      for (Leg leg : legs) {
        Path output = roundDir.resolve(leg.name());
        LegResult result = runner.run(leg, input, output, roundDir.resolve(leg.name() + ".log"));
        runs.get(leg.name()).add(result);
        if (result.succeeded()) {
          out.printf(Locale.ROOT, "run %d, %s: %.1f s, %,.0f events/s, %,d count rows%n", round, leg.name(),
              result.seconds(), result.eventsPerSecond(records), result.counts().rows().size());
        } else {
          out.printf("run %d, %s: FAILED (%s); its last lines:%n%s%n", round, leg.name(), result.failure(),
              LegRunner.tail(result.log(), 15));
        }
        if (!keepOutputs) {
          deleteTree(output);
        }
      }
    }
    return new Result(runs, records);
  }

  /** Deletes a folder and everything in it, if it exists. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
