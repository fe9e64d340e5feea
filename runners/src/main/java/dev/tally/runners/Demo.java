package dev.tally.runners;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.Manifest;
import dev.tally.pipelines.BatchPipeline;
import dev.tally.pipelines.RunSummary;
import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.ParquetFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./tally demo}: generates 30,000 events with invalid, duplicate and late ones, counts them with the
 * batch pipeline on the Spark runner in-process, prints what happened and checks it against the generator's
 * manifest. Usage: {@code Demo [FOLDER]} (default {@code data/demo}, replaced on each run).
 */
public final class Demo {
  private static final int TOP_USERS = 3;

  private Demo() {}

  public static void main(String[] args) throws IOException {
    Path folder = Paths.get(args.length > 0 ? args[0] : "data/demo").toAbsolutePath();
    Path events = folder.resolve("events");
    Path output = folder.resolve("output");
    deleteRecursively(folder);

    GeneratorConfig config = GeneratorConfig.builder().outputDir(events).build();
    Manifest manifest = EventGenerator.write(config);
    Manifest.Totals injected = manifest.totals();
    System.out.printf(
        "Generated %,d records in %s: %,d valid (%,d of them late), %,d duplicates, %,d invalid %s%n%n",
        injected.records(), events, injected.validUnique(), injected.late(), injected.duplicates(),
        injected.invalid(), injected.invalidByReason());

    RunSummary summary;
    try {
      summary =
          BatchPipeline.run(
              BatchPipeline.parseOptions(
                  "--runner=SparkRunner",
                  "--sparkMaster=local[2]",
                  "--input=" + events + "/" + GeneratorConfig.FILE_PREFIX + "*",
                  "--format=" + config.format().code(),
                  "--output=" + output));
    } catch (UserError e) {
      System.err.println("tally demo: " + e.getMessage());
      System.exit(2);
      return;
    }

    System.out.println("Batch pipeline on Spark (local[2]):");
    System.out.print(summary.describe());
    System.out.println();
    System.out.println("Top users per event type (events over all hourly windows):");
    TopUsers.byEventType(ParquetFolder.readAll(output.resolve("counts")), TOP_USERS)
        .forEach(
            (type, users) ->
                System.out.printf(
                    "  %-17s %s%n",
                    type,
                    String.join(", ", users.stream().map(u -> u.userId() + " (" + u.events() + ")").toList())));
    System.out.println();
    System.out.println("Parquet counts:  " + output.resolve("counts"));
    System.out.println("Parquet events:  " + output.resolve("events"));
    System.out.println("Dead letters:    " + output.resolve("dead-letters"));
    System.out.println("Summary:         " + output.resolve(RunSummary.FILE_NAME));

    List<String> mismatches = compare(injected, summary);
    if (!mismatches.isEmpty()) {
      System.err.println("tally demo: the run does not match what the generator injected: " + mismatches);
      System.exit(1);
    }
    System.out.println("Checked: read, valid, duplicates and dead letters by reason match the generator's manifest.");
  }

  /** Differences between what was injected and what the pipeline reports; empty when they agree. */
  static List<String> compare(Manifest.Totals injected, RunSummary summary) {
    Map<String, Long> reported = new TreeMap<>(summary.deadLettersByReason());
    reported.values().removeIf(count -> count == 0);
    Map<String, Long> expected = new TreeMap<>(injected.invalidByReason());
    expected.values().removeIf(count -> count == 0);
    List<String> mismatches = new java.util.ArrayList<>();
    check(mismatches, "read", injected.records(), summary.read());
    check(mismatches, "valid", injected.validUnique(), summary.valid());
    check(mismatches, "duplicates", injected.duplicates(), summary.duplicates());
    if (!expected.equals(reported)) {
      mismatches.add("dead letters by reason " + expected + " != " + reported);
    }
    if (!summary.invariantHolds()) {
      mismatches.add("read != valid + duplicates + dead letters");
    }
    return mismatches;
  }

  private static void check(List<String> mismatches, String what, long expected, long actual) {
    if (expected != actual) {
      mismatches.add(what + " " + expected + " != " + actual);
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
