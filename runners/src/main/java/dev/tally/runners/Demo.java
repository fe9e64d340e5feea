package dev.tally.runners;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.Manifest;
import dev.tally.pipelines.RunSummary;
import dev.tally.pipelines.io.ParquetFolder;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.report.Report;
import dev.tally.runners.stack.LocalStack;
import dev.tally.runners.stack.Postgres;
import dev.tally.runners.stack.ServiceStatus;
import dev.tally.runners.stack.SparkSubmit;
import dev.tally.runners.stack.StackException;
import dev.tally.runners.stack.StackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code ./tally demo}: the whole batch path on the local stack. Starts the stack (Spark standalone, HDFS,
 * PostgreSQL; Kafka too, which the batch path does not use), generates 30,000 events with invalid, duplicate and
 * late ones into HDFS, submits the bundled batch job to the standalone cluster (Parquet on HDFS, rows in
 * PostgreSQL), prints what happened and checks it against the generator's manifest. Without a PostgreSQL server it
 * still runs, without the database sink. The stack keeps running afterwards (for its web UIs and psql);
 * {@code ./tally stack down} stops it.
 */
public final class Demo {
  private static final int TOP_USERS = 3;
  private static final String DEMO_DIR = "/tally/demo";

  private Demo() {}

  public static void main(String[] args) throws Exception {
    StackSettings settings = StackSettings.defaults();
    LocalStack stack = new LocalStack(settings, System.out);
    Instant stackStart = Instant.now();
    try {
      stack.up();
    } catch (StackException e) {
      fail(2, "the local stack did not start:\n" + e.getMessage());
    }
    System.out.printf("Stack ready in %.1f s%n%n", seconds(stackStart));
    boolean withDatabase = stack.postgres().installed() && stack.postgres().status().state() == ServiceStatus.State.RUNNING;

    String base = settings.hdfsUrl() + DEMO_DIR;
    FileSystem hdfs = new Path(base).getFileSystem(new Configuration());
    hdfs.delete(new Path(base), true); // each demo starts from an empty folder
    GeneratorConfig config = GeneratorConfig.builder().output(base + "/events").build();
    Manifest.Totals injected = EventGenerator.write(config).totals();
    System.out.printf(
        "Generated %,d records into %s: %,d valid (%,d of them late), %,d duplicates, %,d invalid %s%n%n",
        injected.records(), config.output(), injected.validUnique(), injected.late(), injected.duplicates(),
        injected.invalid(), injected.invalidByReason());

    String output = base + "/output";
    // The job's driver runs here (client mode), so it writes the report onto this machine.
    java.nio.file.Path reportDir = settings.home().resolve("out/demo-report").toAbsolutePath();
    List<String> jobArgs = new ArrayList<>(List.of(
        "--input=" + config.output() + "/" + GeneratorConfig.FILE_PREFIX + "*",
        "--format=" + config.format().code(),
        "--output=" + output,
        "--report=" + reportDir));
    Postgres postgres = stack.postgres();
    if (withDatabase) {
      jobArgs.addAll(List.of(
          "--jdbcUrl=" + postgres.jdbcUrl(),
          "--jdbcUser=" + postgres.user(),
          "--jdbcPasswordFile=" + postgres.passwordFile()));
    } else {
      System.out.println("PostgreSQL: not available, so the database sink is skipped (" + Postgres.notInstalledMessage() + ")");
    }
    SparkSubmit submit = SparkSubmit.toStack(settings);
    System.out.println("Submitting the bundled batch job to " + submit.master() + " ...");
    Instant jobStart = Instant.now();
    int exitCode = submit.run(jobArgs);
    double jobSeconds = seconds(jobStart);
    if (exitCode != 0) {
      fail(1, "the batch job failed (spark-submit exit code " + exitCode + "); executor logs are under "
          + settings.dir().resolve("spark") + ", the services' logs under " + settings.logsDir());
    }

    RunSummary summary = readSummary(hdfs, output);
    // The job printed its summary above; this is the time a user waits, start-up of driver and executors included.
    System.out.printf("%nBatch job on the Spark standalone cluster: %.1f s from spark-submit to exit%n%n", jobSeconds);
    System.out.println("Top users per event type (events over all hourly windows):");
    TopUsers.byEventType(ParquetFolder.readAll(output + "/counts"), TOP_USERS)
        .forEach(
            (type, users) ->
                System.out.printf(
                    "  %-17s %s%n",
                    type,
                    String.join(", ", users.stream().map(u -> u.userId() + " (" + u.events() + ")").toList())));
    System.out.println();
    System.out.println("Spark Master UI:  " + stack.spark().masterUiUrl() + " (the job is under Completed Applications)");
    System.out.println("HDFS NameNode UI: http://" + StackSettings.HOST + ":" + settings.hdfsUiPort() + "/explorer.html#" + DEMO_DIR);
    System.out.println("Parquet counts:   " + output + "/counts");
    System.out.println("Parquet events:   " + output + "/events");
    System.out.println("Dead letters:     " + output + "/dead-letters");

    List<String> mismatches = compare(injected, summary);
    if (withDatabase) {
      System.out.println();
      System.out.println("PostgreSQL (run " + summary.runId() + "): the counts per event type, ready to paste:");
      System.out.println("  PGPASSWORD=\"$(cat " + postgres.passwordFile() + ")\" psql -h " + StackSettings.HOST
          + " -U " + postgres.user() + " -d " + Postgres.DATABASE + " -c \\");
      System.out.println("    \"SELECT event_type, count(DISTINCT user_id) AS users, sum(event_count) AS events"
          + " FROM user_event_counts GROUP BY event_type ORDER BY events DESC\"");
      mismatches.addAll(checkDatabase(postgres, summary));
    }
    System.out.println();
    System.out.println("The stack keeps running; stop it with ./tally stack down");
    if (!mismatches.isEmpty()) {
      fail(1, "the run does not match what the generator injected: " + mismatches);
    }
    System.out.println("Checked: read, valid, duplicates and dead letters by reason match the generator's manifest"
        + (withDatabase ? ", and the pipeline_runs row matches the summary." : "."));
    System.out.println("Report (charts, top users, dead letters; open it in a browser): " + Report.htmlFile(reportDir));
  }

  /** Differences between what was injected and what the pipeline reports; empty when they agree. */
  static List<String> compare(Manifest.Totals injected, RunSummary summary) {
    Map<String, Long> reported = new TreeMap<>(summary.deadLettersByReason());
    reported.values().removeIf(count -> count == 0);
    Map<String, Long> expected = new TreeMap<>(injected.invalidByReason());
    expected.values().removeIf(count -> count == 0);
    List<String> mismatches = new ArrayList<>();
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

  /** The run's pipeline_runs row must be DONE with the summary's numbers. */
  private static List<String> checkDatabase(Postgres postgres, RunSummary summary) throws SQLException {
    List<String> mismatches = new ArrayList<>();
    try (Connection connection =
            PostgresTarget.withPasswordFile(postgres.jdbcUrl(), postgres.user(), postgres.passwordFile()).connect();
        PreparedStatement query =
            connection.prepareStatement("SELECT status, read, valid, duplicates, dead_letters FROM pipeline_runs WHERE run_id = ?")) {
      query.setString(1, summary.runId());
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          mismatches.add("no pipeline_runs row for run " + summary.runId());
          return mismatches;
        }
        if (!"DONE".equals(row.getString(1))) {
          mismatches.add("pipeline_runs status " + row.getString(1));
        }
        check(mismatches, "pipeline_runs.read", summary.read(), row.getLong(2));
        check(mismatches, "pipeline_runs.valid", summary.valid(), row.getLong(3));
        check(mismatches, "pipeline_runs.duplicates", summary.duplicates(), row.getLong(4));
        check(mismatches, "pipeline_runs.dead_letters", summary.deadLetters(), row.getLong(5));
      }
    }
    return mismatches;
  }

  private static RunSummary readSummary(FileSystem hdfs, String output) throws IOException {
    try (InputStream in = hdfs.open(new Path(output + "/" + RunSummary.FILE_NAME))) {
      return RunSummary.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void check(List<String> mismatches, String what, long expected, long actual) {
    if (expected != actual) {
      mismatches.add(what + " " + expected + " != " + actual);
    }
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }

  private static void fail(int exitCode, String message) {
    System.err.println("tally demo: " + message);
    System.exit(exitCode);
  }
}
