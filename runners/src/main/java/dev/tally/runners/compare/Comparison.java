package dev.tally.runners.compare;

import dev.tally.pipelines.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs legs one after the other on the same input and says whether they counted the same: the table of {@code
 * ./tally compare}.
 */
public final class Comparison {
  /** The name of the row holding what the generator says the counts must be. */
  public static final String EXPECTED = "generator's truth";
  private static final int CHECKSUM_CHARS = 16;

  private final LegRunner runner;
  private final PrintStream out;

  public Comparison(LegRunner runner, PrintStream out) {
    this.runner = runner;
    this.out = out;
  }

  /**
   * The runs and what they are compared with.
   *
   * @param results one per leg, in order
   * @param expected the counts a correct run writes, or null when unknown (input not generated)
   * @param records input records, for events per second; 0 when unknown
   */
  public record Outcome(List<LegResult> results, Counts expected, long records) {
    public Outcome {
      results = List.copyOf(results);
    }

    /** Every leg succeeded and all counts are the same, and the expected ones when known. */
    public boolean allAgree() {
      return results.stream().allMatch(LegResult::succeeded) && differences().values().stream().allMatch(List::isEmpty);
    }

    /** For each successful leg (and the expected counts), the others whose counts differ from its own. */
    public Map<String, List<String>> differences() {
      Map<String, String> checksums = new LinkedHashMap<>();
      results.stream().filter(LegResult::succeeded).forEach(result -> checksums.put(result.leg(), result.counts().checksum()));
      if (expected != null) {
        checksums.put(EXPECTED, expected.checksum());
      }
      Map<String, List<String>> differences = new LinkedHashMap<>();
      checksums.forEach(
          (name, checksum) ->
              differences.put(
                  name,
                  checksums.entrySet().stream()
                      .filter(other -> !other.getValue().equals(checksum))
                      .map(Map.Entry::getKey)
                      .toList()));
      return differences;
    }

    /** The table: runner, wall time, events/s, count rows, checksum, and whether it equals the others. */
    public String table() {
      Map<String, List<String>> differences = differences();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"runner", "wall time", "events/s", "count rows", "checksum (SHA-256)", "equal"});
      for (LegResult result : results) {
        if (!result.succeeded()) {
          rows.add(new String[] {result.leg(), seconds(result), "", "", "", "FAILED: " + result.failure()});
          continue;
        }
        rows.add(new String[] {
          result.leg(),
          seconds(result),
          records > 0 ? String.format(Locale.ROOT, "%,.0f", result.eventsPerSecond(records)) : "",
          String.format(Locale.ROOT, "%,d", result.counts().rows().size()),
          result.counts().checksum().substring(0, CHECKSUM_CHARS),
          equality(differences.get(result.leg()))
        });
      }
      if (expected != null) {
        rows.add(new String[] {
          EXPECTED, "", "", String.format(Locale.ROOT, "%,d", expected.rows().size()),
          expected.checksum().substring(0, CHECKSUM_CHARS), equality(differences.get(EXPECTED))
        });
      }
      return Tables.format(rows, 1, 2, 3);
    }

    private static String seconds(LegResult result) {
      return String.format(Locale.ROOT, "%.1f s", result.seconds());
    }

    private static String equality(List<String> differsFrom) {
      return differsFrom.isEmpty() ? "yes" : "NO: differs from " + String.join(", ", differsFrom);
    }
  }

  /**
   * Runs each leg once on {@code input}, writing to {@code workDir}/{@code <leg>}/ with its output in {@code
   * workDir}/{@code <leg>.log}, and prints a line per run as it ends.
   *
   * @param expected the counts a correct run writes, or null when unknown
   * @param records the input's records, or 0 to take them from the first pipeline run's summary
   */
  public Outcome run(List<? extends Leg> legs, String input, Path workDir, Counts expected, long records)
      throws InterruptedException {
    for (Leg leg : legs) {
      leg.prepare(out);
    }
    List<LegResult> results = new ArrayList<>();
    long inputRecords = records;
    for (Leg leg : legs) {
      out.printf("%s: running ...%n", leg.name());
      Path output = workDir.resolve(leg.name());
      LegResult result = runner.run(leg, input, output, workDir.resolve(leg.name() + ".log"));
      if (result.succeeded()) {
        out.printf(Locale.ROOT, "%s: %.1f s, %,d count rows%n", leg.name(), result.seconds(), result.counts().rows().size());
        if (inputRecords <= 0) {
          inputRecords = summaryRead(output);
        }
      } else {
        out.printf("%s: FAILED (%s); its last lines:%n%s%n", leg.name(), result.failure(), LegRunner.tail(result.log(), 15));
      }
      results.add(result);
    }
    return new Outcome(results, expected, Math.max(0, inputRecords));
  }

  /** Records the pipeline read, from its _SUMMARY.json; 0 when there is none (not a pipeline run). */
  private static long summaryRead(Path output) {
    Path summary = output.resolve(RunSummary.FILE_NAME);
    if (!Files.isRegularFile(summary)) {
      return 0;
    }
    try {
      return RunSummary.fromJson(Files.readString(summary)).read();
    } catch (IOException e) {
      return 0;
    }
  }
}
