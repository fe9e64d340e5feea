package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratedRecord;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.generator.OutputFormat;
import dev.tally.pipelines.io.ParquetFolder;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.pipelines.options.BatchPipelineOptions;
import dev.tally.schema.EventSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.MiniDFSCluster.DataNodeProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch run (Spark local[2], HDFS in and out, PostgreSQL) whose only DataNode is stopped once the job has
 * stored its first rows in PostgreSQL: the run fails with one line naming the fix (or, had it finished first, is exact), its
 * pipeline_runs row says FAILED; with the DataNode back, a re-run into a new folder gives exact Parquet outputs
 * and leaves PostgreSQL exact, with nothing the failed run stored counted twice.
 */
@Tag("integration")
@ExtendWith(TestPostgresExtension.class)
class BatchPipelineDataNodeLossTest {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  @TempDir Path dir;
  private MiniDFSCluster cluster;
  private final ExecutorService runs = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    runs.shutdownNow();
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void aDataNodeLostMidJobFailsInOneLineAndARerunIsExact(TestPostgres postgres) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    String root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    GeneratorConfig config =
        GeneratorConfig.builder()
            .events(20_000)
            .users(200)
            .files(4)
            .format(OutputFormat.JSONL)
            .seed(31)
            .invalidRate(0.05)
            .duplicateRate(0.03)
            .output(root + "/tally/in")
            .build();
    GeneratedData data = EventGenerator.generate(config);
    FileSystem fs = cluster.getFileSystem();

    // As the run does at its start; here first, so that the test can poll the tables from the start.
    PostgresSchema.apply(postgres.target(), EventSchema.defaultSchema());
    String firstOut = root + "/tally/out1";
    Future<RunSummary> first = runs.submit(() -> BatchPipeline.run(options(postgres, root, firstOut)));
    // Progress, not time: the job has stored its first rows in PostgreSQL when the node goes, so the re-run meets
    // rows of the failed run and must not store or count them twice.
    awaitFirstRows(postgres, first);
    DataNodeProperties dataNode = cluster.stopDataNode(0);
    Throwable failure = failureOf(first);
    System.out.println("BatchPipelineDataNodeLossTest: the run that lost its DataNode "
        + (failure == null ? "finished first" : "failed: " + failure.getMessage()) + "; it had stored "
        + postgres.query("SELECT count(*) FROM user_events").get(0).get(0) + " user_events rows and "
        + postgres.query("SELECT count(*) FROM dead_letters").get(0).get(0) + " dead letters");

    List<List<Object>> firstRun = postgres.query("SELECT status, message FROM pipeline_runs");
    assertEquals(1, firstRun.size());
    if (failure == null) {
      // The job finished before the node went: then its results must be exact too.
      assertEquals("DONE", firstRun.get(0).get(0));
    } else {
      assertInstanceOf(UserError.class, failure, () -> "not one clear line: " + stackTrace(failure));
      String message = failure.getMessage();
      assertFalse(message.contains("\n"), message);
      assertTrue(message.startsWith("the run failed because HDFS did ("), message);
      assertTrue(message.contains("check that the NameNode and every DataNode are up"), message);
      assertTrue(message.contains("run again with a new --output or after deleting " + firstOut), message);
      assertEquals(List.of("FAILED", message), firstRun.get(0));
    }

    cluster.restartDataNode(dataNode, true);
    cluster.waitActive();
    awaitReadable(fs, new org.apache.hadoop.fs.Path("/tally/in"));
    String secondOut = root + "/tally/out2";
    RunSummary summary = BatchPipeline.run(options(postgres, root, secondOut));

    long uniqueValid = data.records().stream().filter(GeneratedRecord::isUniqueValid).count();
    Map<CountKey, Long> expectedCounts = GroundTruth.counts(data.records(), Duration.ofHours(1));
    Map<String, String> expectedDeadLetters = GroundTruth.deadLetterReasons(data.records());
    assertEquals(
        List.of((long) config.events(), uniqueValid, (long) expectedDeadLetters.size()),
        List.of(summary.read(), summary.valid(), summary.deadLetters()));
    assertTrue(summary.invariantHolds());
    // Parquet: exact in the new folder.
    assertEquals(expectedCounts, OutputFolder.counts(secondOut));
    assertEquals(uniqueValid, ParquetFolder.readAll(secondOut + "/events").size());
    // PostgreSQL: exact, whatever the failed run had stored before.
    TreeSet<String> expectedIds = new TreeSet<>();
    data.records().stream().filter(GeneratedRecord::isUniqueValid).forEach(record -> expectedIds.add(record.eventId()));
    List<String> storedIds = new ArrayList<>();
    postgres.query("SELECT event_id FROM user_events").forEach(row -> storedIds.add((String) row.get(0)));
    assertEquals(expectedIds.size(), storedIds.size());
    assertEquals(expectedIds, new TreeSet<>(storedIds));
    assertEquals(expectedCounts, storedCounts(postgres));
    Map<String, String> deadLetters = new TreeMap<>();
    postgres
        .query("SELECT source, reason FROM dead_letters")
        .forEach(row -> deadLetters.put((String) row.get(0), (String) row.get(1)));
    assertEquals(new TreeMap<>(expectedDeadLetters), deadLetters);
    assertEquals(
        List.of(failure == null ? "DONE" : "FAILED", "DONE"),
        postgres.query("SELECT status FROM pipeline_runs ORDER BY started_at").stream()
            .map(row -> (String) row.get(0))
            .toList());
  }

  private BatchPipelineOptions options(TestPostgres postgres, String root, String out) throws IOException {
    return BatchPipeline.parseOptions(
        "--runner=SparkRunner",
        "--sparkMaster=local[2]",
        "--input=" + root + "/tally/in/events-*",
        "--format=jsonl",
        "--output=" + out,
        "--jdbcUrl=" + postgres.url(),
        "--jdbcUser=" + TestPostgres.USER,
        "--jdbcPasswordFile=" + postgres.passwordFile(dir));
  }

  /** The run's exception, or null if it succeeded. */
  private static Throwable failureOf(Future<RunSummary> run) throws Exception {
    try {
      run.get(RUN_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** Waits until user_events or dead_letters has a row; fails if the run ends or the time is up first. */
  private static void awaitFirstRows(TestPostgres postgres, Future<RunSummary> run) throws Exception {
    Instant deadline = Instant.now().plus(RUN_TIMEOUT);
    while (postgres.query("SELECT 1 FROM user_events UNION ALL SELECT 1 FROM dead_letters LIMIT 1").isEmpty()) {
      assertFalse(run.isDone(), "the run ended before storing any row");
      assertTrue(Instant.now().isBefore(deadline), "no row stored after " + RUN_TIMEOUT);
      Thread.sleep(20);
    }
  }

  /** Waits until every input file reads back whole (the restarted DataNode has reported its blocks). */
  private static void awaitReadable(FileSystem fs, org.apache.hadoop.fs.Path folder) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (true) {
      try {
        for (FileStatus file : fs.listStatus(folder)) {
          try (InputStream in = fs.open(file.getPath())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
          }
        }
        return;
      } catch (IOException notYet) {
        assertTrue(Instant.now().isBefore(deadline), "input unreadable after the DataNode restarted: " + notYet);
        Thread.sleep(200);
      }
    }
  }

  private static Map<CountKey, Long> storedCounts(TestPostgres postgres) throws Exception {
    Map<CountKey, Long> counts = new HashMap<>();
    for (List<Object> row :
        postgres.query("SELECT window_start, window_end, user_id, event_type, event_count FROM user_event_counts")) {
      CountKey key =
          new CountKey(
              ((Timestamp) row.get(0)).toInstant(), ((Timestamp) row.get(1)).toInstant(), (String) row.get(2),
              (String) row.get(3));
      counts.put(key, (Long) row.get(4));
    }
    return counts;
  }

  private static String stackTrace(Throwable failure) {
    java.io.StringWriter text = new java.io.StringWriter();
    failure.printStackTrace(new java.io.PrintWriter(text));
    return text.toString();
  }
}
