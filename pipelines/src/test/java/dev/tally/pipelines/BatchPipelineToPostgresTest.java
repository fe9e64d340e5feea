package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratedRecord;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.generator.OutputFormat;
import dev.tally.model.WindowedCount;
import dev.tally.pipelines.options.BatchPipelineOptions;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.schema.EventSchema;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.testing.BadInputCorpus;
import dev.tally.testing.BadInputCorpus.BadInputClass;
import dev.tally.testing.TestPipelineExtension;
import dev.tally.transforms.ProcessEvents;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch pipeline's PostgreSQL sink against a real PostgreSQL (see {@link TestPostgres}), each test in its own
 * schema: tables read back and compared with what the test computes from the generator's records, a second run
 * of the same input changing nothing, and the user errors a wrong password or an unreachable server give.
 */
@Tag("integration")
@ExtendWith(TestPipelineExtension.class)
class BatchPipelineToPostgresTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestPostgres postgres;

  @BeforeEach
  void createSchema() {
    postgres = TestPostgres.withNewSchema();
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private GeneratedData generate(OutputFormat format) throws Exception {
    return EventGenerator.generate(
        GeneratorConfig.builder()
            .events(3000)
            .users(30)
            .files(2)
            .format(format)
            .gzip(format == OutputFormat.JSONL)
            .seed(23)
            .outputDir(dir.resolve("in"))
            .build());
  }

  /** Flags of a Spark run writing to this test's schema, the password passed as a file. */
  private String[] sparkFlags(OutputFormat format, Path out, String... more) throws Exception {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--runner=SparkRunner",
                "--sparkMaster=local[2]",
                "--input=" + dir.resolve("in") + "/events-*",
                "--format=" + format.code(),
                "--output=" + out,
                "--jdbcUrl=" + postgres.url(),
                "--jdbcUser=" + TestPostgres.USER,
                "--jdbcPasswordFile=" + postgres.passwordFile(dir)));
    flags.addAll(List.of(more));
    return flags.toArray(String[]::new);
  }

  /**
   * Valid records of the bad-input corpus whose text looks like SQL, or holds emoji and right-to-left text, land in
   * user_events exactly as written (prepared statements, no escaping or normalisation on the way).
   */
  @Test
  void injectionStringsAndUnusualTextAreStoredLiterally() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<List<Object>> expected = new ArrayList<>();
    for (BadInputClass badInput : BadInputCorpus.classes()) {
      if (List.of("sql_injection_text", "emoji_ids", "rtl_ids").contains(badInput.className())) {
        Files.write(in.resolve("events-" + badInput.file()), BadInputCorpus.bytes(badInput));
        for (BadInputCorpus.ExpectedRecord record : badInput.records()) {
          List<String> values = record.valid();
          expected.add(Arrays.asList(values.get(0), values.get(1), values.get(4), values.get(5), values.get(10)));
        }
      }
    }
    expected.sort(Comparator.comparing(row -> (String) row.get(0)));

    RunSummary summary = BatchPipeline.run(BatchPipeline.parseOptions(sparkFlags(OutputFormat.CSV, dir.resolve("out"))));

    assertEquals(expected.size(), summary.valid());
    List<List<Object>> stored =
        new ArrayList<>(postgres.query("SELECT event_id, user_id, product_id, category, session_id FROM user_events"));
    stored.sort(Comparator.comparing(row -> (String) row.get(0)));
    assertEquals(expected, stored);
  }

  @Test
  void tablesMatchAnIndependentComputation() throws Exception {
    GeneratedData data = generate(OutputFormat.CSV);
    Path out = dir.resolve("out");
    BatchPipelineOptions options = BatchPipeline.parseOptions(sparkFlags(OutputFormat.CSV, out, "--jdbcBatchSize=250"));

    RunSummary summary = BatchPipeline.run(options);

    // Expected, from the generator's own account of each record.
    Map<CountKey, Long> expectedCounts = GroundTruth.counts(data.records(), Duration.ofHours(1));
    Map<String, GeneratedRecord> expectedEvents = new TreeMap<>();
    Map<String, String> lineBySource = new HashMap<>();
    Map<String, String> reasonBySource = new HashMap<>();
    for (GeneratedRecord record : data.records()) {
      lineBySource.put(record.sourcePosition(), record.line());
      if (record.reason() != null) {
        reasonBySource.put(record.sourcePosition(), record.reason().code());
      }
      if (record.isUniqueValid()) {
        expectedEvents.put(record.eventId(), record);
      }
    }
    Map<String, Long> expectedByReason = new TreeMap<>(data.manifest().totals().invalidByReason());
    assertTrue(data.manifest().totals().duplicates() > 0 && data.manifest().totals().late() > 0
        && expectedByReason.size() > 1, "the generator injected too little");

    // user_event_counts: exactly the independent counts
    Map<CountKey, Long> counts = new TreeMap<>();
    for (List<Object> row :
        postgres.query("SELECT window_start, window_end, user_id, event_type, event_count FROM user_event_counts")) {
      CountKey key = new CountKey(instant(row.get(0)), instant(row.get(1)), (String) row.get(2), (String) row.get(3));
      assertNull(counts.put(key, (Long) row.get(4)), key.toString());
    }
    assertEquals(expectedCounts, counts);

    // user_events: one row per unique valid record, with its fields
    List<List<Object>> events =
        postgres.query("SELECT event_id, user_id, event_type, event_time, price FROM user_events ORDER BY event_id");
    assertEquals(expectedEvents.size(), events.size());
    assertEquals(expectedEvents.keySet(), new TreeSet<>(events.stream().map(row -> (String) row.get(0)).toList()));
    for (List<Object> row : events) {
      GeneratedRecord expected = expectedEvents.get((String) row.get(0));
      assertEquals(expected.userId(), row.get(1));
      assertEquals(expected.eventType(), row.get(2));
      assertEquals(expected.eventTime(), instant(row.get(3)));
      assertEquals(expected.price() == null ? null : expected.price().setScale(4), row.get(4));
    }

    // dead_letters: the injected invalid records by reason, each with its raw line, key and this run's id
    Map<String, Long> byReason = new TreeMap<>();
    List<List<Object>> letters =
        postgres.query("SELECT dead_letter_id, raw, source, stage, reason, message, run_id FROM dead_letters");
    for (List<Object> row : letters) {
      String source = (String) row.get(2);
      assertEquals(lineBySource.get(source), row.get(1), "raw text kept exactly: " + source);
      assertEquals(sha256Hex(source + "\n" + row.get(1)), row.get(0));
      assertTrue(List.of("parse", "validate").contains((String) row.get(3)), (String) row.get(3));
      assertEquals(reasonBySource.get(source), row.get(4), source);
      assertFalse(((String) row.get(5)).isBlank());
      assertEquals(summary.runId(), row.get(6));
      byReason.merge((String) row.get(4), 1L, Long::sum);
    }
    assertEquals(expectedByReason, byReason);

    // pipeline_runs: this run, DONE, with the summary's numbers
    List<List<Object>> runs =
        postgres.query(
            "SELECT run_id, runner, input, output, started_at, finished_at, status, read, valid, duplicates,"
                + " dead_letters, dead_letters_by_reason::text, count_rows, message FROM pipeline_runs");
    assertEquals(1, runs.size());
    List<Object> run = runs.get(0);
    assertEquals(options.getRunId(), summary.runId());
    assertEquals(
        List.of(summary.runId(), "SparkRunner", options.getInput(), out.toString(), "DONE", summary.read(),
            summary.valid(), summary.duplicates(), summary.deadLetters(), summary.countRows()),
        List.of(run.get(0), run.get(1), run.get(2), run.get(3), run.get(6), run.get(7), run.get(8), run.get(9),
            run.get(10), run.get(12)));
    assertEquals(summary.startedAt().truncatedTo(ChronoUnit.MICROS), instant(run.get(4)));
    assertEquals(summary.finishedAt().truncatedTo(ChronoUnit.MICROS), instant(run.get(5)));
    assertEquals(summary.deadLettersByReason(), JSON.readValue((String) run.get(11), new TypeReference<Map<String, Long>>() {}));
    assertNull(run.get(13));

    // The summary's numbers are the generator's, and the password is nowhere but in its file.
    assertEquals(expectedEvents.size(), summary.valid());
    assertEquals(letters.size(), summary.deadLetters());
    assertEquals(expectedCounts.size(), summary.countRows());
    assertEquals(postgres.url(), summary.postgresUrl());
    String summaryJson = Files.readString(out.resolve(RunSummary.FILE_NAME));
    assertTrue(summaryJson.contains("\"run_id\" : \"" + summary.runId() + "\""), summaryJson);
    assertFalse(summaryJson.contains(postgres.password));
    assertFalse(options.toString().contains(postgres.password));
  }

  /**
   * A valid event the table refuses (here a CHECK constraint added by hand, as a DBA might) is a dead letter with
   * PostgreSQL's message, in dead_letters and dead-letters/; the rest of its batch lands, and the summary moves it
   * from valid to dead letters, so read = valid + duplicates + dead letters still holds.
   */
  @Test
  void anEventPostgresRefusesIsADeadLetterAndTheRestLands() throws Exception {
    EventSchema schema = EventSchema.defaultSchema();
    PostgresSchema.apply(postgres.target(), schema);
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE user_events ADD CONSTRAINT no_test_users CHECK (user_id NOT LIKE 'test-%')");
    }
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(
        in.resolve("events-1.csv"),
        String.join(
            "\n",
            schema.csvHeader(),
            "e1,alice,view,2026-11-23T10:00:05Z,,,,,,,",
            "e2,test-carol,view,2026-11-23T10:00:15Z,,,,,,,",
            "e3,bob,add_to_cart,2026-11-23T10:00:25Z,,,,,,,",
            "e4,bob,purchase,2026-11-23T10:01:05Z,p1,shoes,12.50,EUR,web,DE,s1",
            "e5,alice,bogus,2026-11-23T10:01:10Z,,,,,,,")
            + "\n");
    Path out = dir.resolve("out");

    RunSummary summary = BatchPipeline.run(BatchPipeline.parseOptions(sparkFlags(OutputFormat.CSV, out)));

    assertEquals(
        List.of(5L, 3L, 0L, 2L),
        List.of(summary.read(), summary.valid(), summary.duplicates(), summary.deadLetters()));
    assertEquals(1L, summary.deadLettersByReason().get("rejected_by_database"));
    assertEquals(1L, summary.deadLettersByReason().get("unknown_event_type"));
    assertEquals(
        List.of(List.of("e1"), List.of("e3"), List.of("e4")),
        postgres.query("SELECT event_id FROM user_events ORDER BY event_id"));
    String message =
        "PostgreSQL refused to store this valid event in user_events: new row for relation \"user_events\" violates"
            + " check constraint \"no_test_users\" (SQLState 23514)";
    assertEquals(
        List.of(
            Arrays.asList(
                "events-1.csv:3", "store", "rejected_by_database", message, summary.runId(),
                "{\"event_id\":\"e2\",\"user_id\":\"test-carol\",\"event_type\":\"view\","
                    + "\"event_time\":\"2026-11-23T10:00:15Z\",\"product_id\":null,\"category\":null,"
                    + "\"price\":null,\"currency\":null,\"device\":null,\"location\":null,\"session_id\":null}")),
        postgres.query(
            "SELECT regexp_replace(source, '^.*/', ''), stage, reason, message, run_id, raw FROM dead_letters"
                + " WHERE reason = 'rejected_by_database'"));
    assertEquals(
        List.of("rejected_by_database", "unknown_event_type"),
        OutputFolder.deadLetters(out).stream().map(letter -> letter.get("reason").asText()).sorted().toList());
  }

  @Test
  void aSecondRunOfTheSameInputLeavesTheTablesAsTheyWere() throws Exception {
    generate(OutputFormat.JSONL);
    List<String> tables = List.of("user_event_counts", "user_events", "dead_letters");

    RunSummary first = BatchPipeline.run(BatchPipeline.parseOptions(sparkFlags(OutputFormat.JSONL, dir.resolve("out1"))));
    Map<String, List<String>> afterFirst = new HashMap<>();
    for (String table : tables) {
      afterFirst.put(table, postgres.dump(table));
    }
    RunSummary second =
        BatchPipeline.run(BatchPipeline.parseOptions(sparkFlags(OutputFormat.JSONL, dir.resolve("out2"))));

    assertEquals(first.countRows(), afterFirst.get("user_event_counts").size());
    assertEquals(first.valid(), afterFirst.get("user_events").size());
    assertEquals(first.deadLetters(), afterFirst.get("dead_letters").size());
    for (String table : tables) {
      assertEquals(afterFirst.get(table), postgres.dump(table), table);
    }
    // Dead letters keep the run that stored them first.
    assertEquals(
        List.of(List.of(first.runId(), first.deadLetters())),
        postgres.query("SELECT run_id, count(*) FROM dead_letters GROUP BY run_id"));
    assertNotEquals(first.runId(), second.runId());
    assertEquals(
        List.of(List.of(first.runId(), "DONE", first.read()), List.of(second.runId(), "DONE", second.read())),
        postgres.query("SELECT run_id, status, read FROM pipeline_runs ORDER BY started_at"));
    assertEquals(first.read(), second.read());
  }

  @Test
  void aWrongPasswordOrAnUnreachableServerIsAUserErrorWithoutThePassword() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.csv"), "event_id,user_id,event_type,event_time\ne1,u1,view,2026-11-23T10:00:00Z\n");
    String wrongPassword = "not-the-password-" + System.nanoTime();
    Path wrongPasswordFile = Files.writeString(dir.resolve("wrong-password"), wrongPassword);
    String fix = "; start it with ./tally stack up postgres, or check --jdbcUrl/--jdbcUser and the password";

    UserError refused =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + dir.resolve("in") + "/*.csv", "--output=" + dir.resolve("out1"),
            "--jdbcUrl=" + postgres.url(), "--jdbcUser=" + TestPostgres.USER,
            "--jdbcPasswordFile=" + wrongPasswordFile)));
    String message = refused.getMessage();
    assertTrue(message.startsWith("cannot connect to PostgreSQL at " + postgres.url() + " as " + TestPostgres.USER + ": "), message);
    assertTrue(message.contains("password authentication failed"), message);
    assertTrue(message.endsWith(fix), message);
    assertFalse(message.contains(wrongPassword) || message.contains(postgres.password) || message.contains("\n"), message);
    assertFalse(Files.exists(dir.resolve("out1")), "checked before the pipeline started");

    String closedPortUrl = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/tally";
    UserError unreachable =
        assertThrows(UserError.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + dir.resolve("in") + "/*.csv", "--output=" + dir.resolve("out2"),
            "--jdbcUrl=" + closedPortUrl, "--jdbcPasswordFile=" + postgres.passwordFile(dir))));
    message = unreachable.getMessage();
    assertTrue(message.startsWith("cannot connect to PostgreSQL at " + closedPortUrl + " as tally: "), message);
    assertTrue(message.endsWith(fix), message);
    assertFalse(message.contains(postgres.password) || message.contains("\n"), message);
    assertFalse(Files.exists(dir.resolve("out2")), "checked before the pipeline started");
  }

  @Test
  void aRunThatFailsInTheDatabaseIsRecordedAsFailed() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.csv"), "event_id,user_id,event_type,event_time\ne1,u1,view,2026-11-23T10:00:00Z\n");
    // A user_event_counts of another shape: CREATE TABLE IF NOT EXISTS leaves it, so the count upserts fail.
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE user_event_counts (window_start timestamptz, window_end timestamptz, user_id text,"
              + " event_type text, PRIMARY KEY (window_start, window_end, user_id, event_type))");
    }

    Exception failure =
        assertThrows(Exception.class, () -> BatchPipeline.run(BatchPipeline.parseOptions(
            "--input=" + in + "/a.csv", "--output=" + dir.resolve("out"), "--runId=failing-run",
            "--jdbcUrl=" + postgres.url(), "--jdbcUser=" + TestPostgres.USER,
            "--jdbcPasswordFile=" + postgres.passwordFile(dir))));

    assertFalse(failure instanceof UserError, failure.toString());
    List<List<Object>> runs = postgres.query("SELECT run_id, status, finished_at IS NOT NULL, message FROM pipeline_runs");
    assertEquals(1, runs.size());
    assertEquals(List.of("failing-run", "FAILED", true), runs.get(0).subList(0, 3));
    String message = (String) runs.get(0).get(3);
    assertTrue(message.contains("column \"event_count\" of relation \"user_event_counts\" does not exist"), message);
    assertFalse(message.contains(postgres.password), message);
    assertFalse(Files.exists(dir.resolve("out").resolve(RunSummary.FILE_NAME)), "no summary for a failed run");
  }

  /**
   * buildPipeline on a TestPipeline (Direct runner) writes the tables too; a record with a NUL character is a dead
   * letter, whose raw text PostgreSQL cannot hold as read: it is stored with U+FFFD, and its key is the hash of its
   * text as read.
   */
  @Test
  void buildPipelineWritesToPostgresFromATestPipeline(TestPipeline pipeline) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(
        in.resolve("a.csv"),
        "event_id,user_id,event_type,event_time,product_id,category,price,currency,device,location,session_id\n"
            + "e1,alice,purchase,2026-11-23T10:15:30.123456Z,p1,sh\u0000oes,12.5,EUR,web,DE,s1\n"
            + "e2,alice,purchase,2026-11-23T10:20:00Z,p1,shoes,3,EUR,web,DE,s1\n"
            + "bad\u0000line\n");
    BatchPipelineOptions options =
        BatchPipeline.parseOptions(
            "--input=" + in + "/a.csv", "--output=" + dir.resolve("out"), "--runId=test-run",
            "--jdbcUrl=" + postgres.url(), "--jdbcUser=" + TestPostgres.USER,
            "--jdbcPasswordFile=" + postgres.passwordFile(dir));
    PostgresSchema.apply(PostgresTarget.fromOptions(options).orElseThrow(), EventSchema.defaultSchema());

    ProcessEvents.Result result = BatchPipeline.buildPipeline(pipeline, options);
    PAssert.that(result.counts())
        .containsInAnyOrder(
            new WindowedCount(Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T11:00:00Z"), "alice", "purchase", 1));
    pipeline.run().waitUntilFinish();

    assertEquals(
        List.of(List.of(Timestamp.from(Instant.parse("2026-11-23T10:00:00Z")), "alice", "purchase", 1L)),
        postgres.query("SELECT window_start, user_id, event_type, event_count FROM user_event_counts"));
    assertEquals(
        List.of(List.of("e2", "shoes", new BigDecimal("3.0000"), Instant.parse("2026-11-23T10:20:00Z"))),
        postgres.query("SELECT event_id, category, price, event_time FROM user_events ORDER BY event_id").stream()
            .map(row -> List.of(row.get(0), row.get(1), row.get(2), instant(row.get(3))))
            .toList());
    String line1 = in.resolve("a.csv") + ":2";
    String raw1 = "e1,alice,purchase,2026-11-23T10:15:30.123456Z,p1,sh\u0000oes,12.5,EUR,web,DE,s1";
    String line3 = in.resolve("a.csv") + ":4";
    assertEquals(
        List.of(
            List.of(sha256Hex(line1 + "\n" + raw1), raw1.replace('\u0000', '\uFFFD'), line1, "parse", "malformed_record",
                "test-run"),
            List.of(sha256Hex(line3 + "\n" + "bad\u0000line"), "bad\uFFFDline", line3, "parse", "malformed_record",
                "test-run")),
        postgres.query(
            "SELECT dead_letter_id, raw, source, stage, reason, run_id FROM dead_letters ORDER BY source"));
    assertEquals(List.of(), postgres.query("SELECT * FROM pipeline_runs"), "run metadata is the driver's, in run()");
  }

  private static Instant instant(Object timestamptz) {
    return ((Timestamp) timestamptz).toInstant();
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A local port nothing listens on (just released by the OS). */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
