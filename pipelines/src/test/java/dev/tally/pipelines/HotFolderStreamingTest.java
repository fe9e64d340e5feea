package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.schema.EventSchema;
import dev.tally.transforms.TallyMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming path's hot folder ({@code --source=files}) against a real PostgreSQL: files dropped one at a time
 * into the folder while the pipeline runs (written under a hidden name, then renamed, as the generator does) are
 * each read once and archived; user_event_counts, user_events and dead_letters (source {@code path:line} and
 * reason) equal what {@link HotFolderDrops} computed. A second pipeline, which has no memory of the first, finds
 * every file in the archive, reads it again and changes no row: the source positions are stable and the sink
 * idempotent.
 */
@Tag("integration")
@ExtendWith(TestPostgresExtension.class)
class HotFolderStreamingTest {
  private static final int FILES = 6;
  private static final int LINES_PER_FILE = 40;

  @TempDir Path dir;

  @Test
  void countsEachDroppedFileOnceArchivesItAndARestartChangesNothing(TestPostgres postgres) throws Exception {
    Path hot = Files.createDirectories(dir.resolve("hot"));
    PostgresSchema.apply(postgres.target(), EventSchema.defaultSchema());
    HotFolderDrops drops = new HotFolderDrops(hot, 42);
    String[] flags = flags(postgres, hot);

    PipelineResult result = StreamingPipeline.start(StreamingPipeline.parseOptions(flags));
    List<Long> latencies = new ArrayList<>();
    try {
      for (int i = 0; i < FILES; i++) {
        long dropped = System.nanoTime();
        drops.drop(LINES_PER_FILE);
        awaitStored(postgres, drops, result);
        latencies.add((System.nanoTime() - dropped) / 1_000_000);
      }
      awaitArchived(hot, drops.names(), result);
      assertEquals(drops.records(), read(result), "records read: each file exactly once");
    } finally {
      result.cancel();
    }
    System.out.println("HotFolderStreamingTest: drop -> rows stored, per file of " + LINES_PER_FILE + " records (ms): "
        + latencies);

    assertEquals(drops.expectedCounts(), storedCounts(postgres));
    assertEquals(drops.deadLetters, storedDeadLetters(postgres));
    Map<String, String> events = storedEventSources(postgres);
    assertEquals(drops.eventPositions().keySet(), events.keySet());
    events.forEach((id, source) -> assertTrue(drops.eventPositions().get(id).contains(source), id + " from " + source));
    assertEquals(List.of(), csvFiles(hot), "files left in the hot folder");
    assertEquals(drops.names(), csvFiles(hot.resolve("archive")));

    // A new pipeline remembers nothing, so it matches every archived file again: the rows must not change.
    List<String> before = dumps(postgres);
    PipelineResult again = StreamingPipeline.start(StreamingPipeline.parseOptions(flags));
    try {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      while (read(again) < drops.records()) {
        assertTrue(Instant.now().isBefore(deadline), "re-read " + read(again) + " of " + drops.records());
        Thread.sleep(200);
      }
      assertEquals(drops.records(), read(again));
    } finally {
      again.cancel();
    }
    assertEquals(before, dumps(postgres));
  }

  /**
   * The whole streaming path with a table that refuses one valid event (a CHECK constraint added by hand): the
   * other events of the file are stored and counted, the refused one is a dead letter with PostgreSQL's message,
   * and the counters still satisfy read = valid + duplicates + dead letters.
   */
  @Test
  void anEventPostgresRefusesBecomesADeadLetterAndTheRestIsCounted(TestPostgres postgres) throws Exception {
    Path hot = Files.createDirectories(dir.resolve("hot"));
    EventSchema schema = EventSchema.defaultSchema();
    PostgresSchema.apply(postgres.target(), schema);
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE user_events ADD CONSTRAINT no_test_users CHECK (user_id NOT LIKE 'test-%')");
    }
    PipelineResult result = StreamingPipeline.start(StreamingPipeline.parseOptions(flags(postgres, hot)));
    try {
      Path hidden = hot.resolve(".events-1.csv");
      Files.writeString(
          hidden,
          String.join(
              "\n",
              schema.csvHeader(),
              "e1,alice,view,2026-11-23T10:00:05Z,,,,,,,",
              "e2,test-carol,view,2026-11-23T10:00:15Z,,,,,,,",
              "e3,alice,view,2026-11-23T10:00:25Z,,,,,,,",
              "e3,alice,view,2026-11-23T10:00:25Z,,,,,,,",
              "e4,bob,add_to_cart,2026-11-23T10:00:35Z,,,,,,,",
              "e5,bob,bogus,2026-11-23T10:00:45Z,,,,,,,")
              + "\n");
      Files.move(hidden, hot.resolve("events-1.csv"));
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      while (count(postgres, "user_events") < 3 || count(postgres, "dead_letters") < 2 || read(result) < 6) {
        assertEquals(PipelineResult.State.RUNNING, result.getState(), "the pipeline stopped");
        assertTrue(Instant.now().isBefore(deadline), "not stored after 2 minutes");
        Thread.sleep(100);
      }
      assertEquals(
          List.of(6L, 3L, 1L, 2L),
          List.of(read(result), counter(result, TallyMetrics.VALID), counter(result, TallyMetrics.DUPLICATES),
              counter(result, TallyMetrics.DEAD_LETTERS)));
    } finally {
      result.cancel();
    }
    assertEquals(
        List.of(List.of("e1"), List.of("e3"), List.of("e4")),
        postgres.query("SELECT event_id FROM user_events ORDER BY event_id"));
    Instant window = Instant.parse("2026-11-23T10:00:00Z");
    assertEquals(
        Map.of(window + "|alice|view", 2L, window + "|bob|add_to_cart", 1L), storedCounts(postgres));
    assertEquals(
        List.of(
            List.of("events-1.csv:3", "store", "rejected_by_database",
                "PostgreSQL refused to store this valid event in user_events: new row for relation \"user_events\""
                    + " violates check constraint \"no_test_users\" (SQLState 23514)"),
            List.of("events-1.csv:7", "validate", "unknown_event_type")),
        postgres
            .query("SELECT regexp_replace(source, '^.*/', ''), stage, reason, message FROM dead_letters ORDER BY 1")
            .stream()
            .map(row -> row.get(2).equals("rejected_by_database") ? row : row.subList(0, 3))
            .toList());
  }

  private String[] flags(TestPostgres postgres, Path hot) throws IOException {
    List<String> flags = new ArrayList<>(List.of(
        "--source=files",
        "--input=" + hot + "/*.csv",
        "--pollInterval=PT0.5S",
        // Short, so that files are archived during the test, some maybe before they were read.
        "--archiveAfter=PT2S",
        "--windowSize=PT1M",
        "--jdbcUrl=" + postgres.url(),
        "--jdbcUser=" + TestPostgres.USER,
        "--jdbcPasswordFile=" + postgres.passwordFile(dir)));
    // The Spark runner cannot run the hot folder (see README); without blockOnRun=false, start() would not return.
    flags.addAll(List.of("--runner=DirectRunner", "--blockOnRun=false"));
    return flags.toArray(String[]::new);
  }

  private static void awaitStored(TestPostgres postgres, HotFolderDrops drops, PipelineResult result)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    int events = drops.eventPositions().size();
    int deadLetters = drops.deadLetters.size();
    while (true) {
      long storedEvents = count(postgres, "user_events");
      long storedDeadLetters = count(postgres, "dead_letters");
      if (storedEvents == events && storedDeadLetters == deadLetters) {
        return;
      }
      assertTrue(storedEvents <= events && storedDeadLetters <= deadLetters, "more rows than records");
      assertEquals(PipelineResult.State.RUNNING, result.getState(), "the pipeline stopped");
      assertTrue(Instant.now().isBefore(deadline), "after 2 minutes: " + storedEvents + " of " + events
          + " events and " + storedDeadLetters + " of " + deadLetters + " dead letters stored");
      Thread.sleep(100);
    }
  }

  private static void awaitArchived(Path hot, List<String> names, PipelineResult result) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (!csvFiles(hot).isEmpty() || !csvFiles(hot.resolve("archive")).equals(names)) {
      assertEquals(PipelineResult.State.RUNNING, result.getState(), "the pipeline stopped");
      assertTrue(Instant.now().isBefore(deadline), "not archived: " + csvFiles(hot));
      Thread.sleep(200);
    }
  }

  /** The {@code read} counter: records read from the files, replays included. */
  private static long read(PipelineResult result) {
    return counter(result, TallyMetrics.READ);
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result.metrics()
            .queryMetrics(MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named(TallyMetrics.NAMESPACE, name))
                .build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }

  private static List<String> csvFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".csv")).sorted().toList();
    }
  }

  private static long count(TestPostgres postgres, String table) throws SQLException {
    return ((Number) postgres.query("SELECT count(*) FROM " + table).get(0).get(0)).longValue();
  }

  private static Map<String, Long> storedCounts(TestPostgres postgres) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    for (List<Object> row : postgres.query(
        "SELECT window_start, window_end, user_id, event_type, event_count FROM user_event_counts")) {
      Instant start = ((Timestamp) row.get(0)).toInstant();
      assertEquals(start.plus(HotFolderDrops.WINDOW), ((Timestamp) row.get(1)).toInstant());
      counts.put(start + "|" + row.get(2) + "|" + row.get(3), ((Number) row.get(4)).longValue());
    }
    return counts;
  }

  private static Map<String, String> storedDeadLetters(TestPostgres postgres) throws SQLException {
    Map<String, String> letters = new TreeMap<>();
    for (List<Object> row : postgres.query("SELECT source, reason FROM dead_letters")) {
      letters.put((String) row.get(0), (String) row.get(1));
    }
    return letters;
  }

  private static Map<String, String> storedEventSources(TestPostgres postgres) throws SQLException {
    Map<String, String> events = new TreeMap<>();
    for (List<Object> row : postgres.query("SELECT event_id, tally_source FROM user_events")) {
      events.put((String) row.get(0), (String) row.get(1));
    }
    return events;
  }

  private static List<String> dumps(TestPostgres postgres) throws SQLException {
    List<String> rows = new ArrayList<>();
    for (String table : List.of("user_event_counts", "user_events", "dead_letters")) {
      // Every column, updated_at and run_id too: a re-read record must not touch its rows at all.
      rows.addAll(postgres.dump(table).stream().map(row -> table + " " + row).toList());
    }
    return rows;
  }
}
