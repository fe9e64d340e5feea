package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.TestPostgresExtension;
import dev.tally.schema.EventSchema;
import dev.tally.testing.TestPipelineExtension;
import dev.tally.transforms.ParseEvents;
import dev.tally.transforms.TallyMetrics;
import dev.tally.transforms.ValidateEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The streaming sink against a real PostgreSQL that refuses one row of a batch: the other rows land exactly, the
 * refused one comes out as a dead letter with PostgreSQL's message; a transient failure is still retried whole.
 */
@Tag("integration")
@ExtendWith({TestPipelineExtension.class, TestPostgresExtension.class})
class PoisonRowTest {
  private static final EventSchema SCHEMA = EventSchema.defaultSchema();
  private static final String LONG_USER = "u-" + "x".repeat(38);
  private static final List<String> LINES =
      List.of(
          "e1,alice,view,2026-11-23T10:00:05Z,,,,,,,",
          "e2,alice,view,2026-11-23T10:00:15Z,,,,,,,",
          "e3,bob,add_to_cart,2026-11-23T10:00:25Z,,,,,,,",
          "e4," + LONG_USER + ",view,2026-11-23T10:00:35Z,,,,,,,",
          "e5,bob,purchase,2026-11-23T10:01:05Z,p1,shoes,12.50,EUR,web,DE,s1",
          "e6,alice,view,2026-11-23T10:01:10Z,,,,,,,");

  /** Parse, validate and store the lines as the streaming path does, in one batch; the sink's output. */
  private static PCollection<DeadLetter> storeLines(TestPipeline pipeline, PostgresTarget target) {
    List<RawRecord> records = new ArrayList<>();
    for (int i = 0; i < LINES.size(); i++) {
      records.add(RawRecord.of(LINES.get(i), "in.csv", i + 1));
    }
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> parsed =
        pipeline.apply(Create.of(records)).apply(new ParseEvents(SCHEMA, 1 << 20));
    WithFailures.Result<PCollection<Event>, DeadLetter> validated =
        parsed.output().apply(new ValidateEvents(SCHEMA));
    PAssert.that(parsed.failures()).empty();
    PAssert.that(validated.failures()).empty();
    EventWindows minutes = new EventWindows(Duration.standardMinutes(1), null);
    return validated.output().apply(ParDo.of(new StoreEventsWithCounts(target, SCHEMA, minutes, 100)));
  }

  private static void execute(TestPostgres postgres, String... statements) throws SQLException {
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static long counter(PipelineResult result, String name) {
    Iterable<MetricResult<Long>> counters =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(TallyMetrics.NAMESPACE, name)).build())
            .getCounters();
    return StreamSupport.stream(counters.spliterator(), false).mapToLong(MetricResult::getAttempted).sum();
  }

  /**
   * user_id narrowed to varchar(16) by hand: a value Tally's default schema accepts (user ids have no length limit)
   * but this table refuses with a data exception (22001), as a DBA's column limit would.
   */
  @Test
  void aRefusedRowBecomesADeadLetterAndTheRestOfTheBatchLands(TestPipeline pipeline, TestPostgres postgres)
      throws Exception {
    PostgresSchema.apply(postgres.target(), SCHEMA);
    execute(postgres, "ALTER TABLE user_events ALTER COLUMN user_id TYPE varchar(16)");

    PCollection<DeadLetter> rejected = storeLines(pipeline, postgres.target());
    PAssert.that(rejected)
        .satisfies(
            letters -> {
              List<DeadLetter> all = new ArrayList<>();
              letters.forEach(all::add);
              assertEquals(1, all.size(), all.toString());
              DeadLetter letter = all.get(0);
              assertEquals("in.csv:4", letter.source());
              assertEquals(Stage.STORE, letter.stage());
              assertEquals(ReasonCode.REJECTED_BY_DATABASE, letter.reason());
              assertEquals(
                  "PostgreSQL refused to store this valid event in user_events: value too long for type character "
                      + "varying(16) (SQLState 22001)",
                  letter.message());
              assertEquals(
                  "{\"event_id\":\"e4\",\"user_id\":\"" + LONG_USER + "\",\"event_type\":\"view\","
                      + "\"event_time\":\"2026-11-23T10:00:35Z\",\"product_id\":null,\"category\":null,"
                      + "\"price\":null,\"currency\":null,\"device\":null,\"location\":null,\"session_id\":null}",
                  letter.raw());
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(
        List.of("e1 alice", "e2 alice", "e3 bob", "e5 bob", "e6 alice"),
        postgres.query("SELECT event_id || ' ' || user_id FROM user_events ORDER BY event_id").stream()
            .map(row -> (String) row.get(0))
            .toList());
    assertEquals(
        List.of(
            "10:00 alice view 2", "10:00 bob add_to_cart 1", "10:01 alice view 1", "10:01 bob purchase 1"),
        postgres
            .query(
                "SELECT to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || user_id || ' ' || event_type"
                    + " || ' ' || event_count FROM user_event_counts ORDER BY 1")
            .stream()
            .map(row -> (String) row.get(0))
            .toList());
    // The refused event is neither valid nor a duplicate: the dead-letter sink downstream counts it.
    assertEquals(5, counter(result, TallyMetrics.VALID));
    assertEquals(0, counter(result, TallyMetrics.DUPLICATES));
  }

  /**
   * A trigger that raises a serialisation failure (40001, transient) on the given calls (1-based, counted over all
   * rows it sees, committed or not: the sequence is not transactional).
   */
  private static void failInsertCalls(TestPostgres postgres, String calls) throws SQLException {
    execute(
        postgres,
        "CREATE SEQUENCE insert_calls",
        """
        CREATE FUNCTION fail_some() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('insert_calls') IN (%s) THEN
            RAISE EXCEPTION 'simulated serialisation failure' USING ERRCODE = 'serialization_failure';
          END IF;
          RETURN NEW;
        END $$""".formatted(calls),
        "CREATE TRIGGER fail_some BEFORE INSERT ON user_events FOR EACH ROW EXECUTE FUNCTION fail_some()");
  }

  /**
   * A serialisation failure on two attempts is transient: the whole batch is retried until it lands; nothing is
   * dead-lettered (were it taken for a data error, the row of the second call would be) or counted twice.
   */
  @Test
  void aTransientFailureRetriesTheWholeBatch(TestPipeline pipeline, TestPostgres postgres) throws Exception {
    PostgresSchema.apply(postgres.target(), SCHEMA);
    failInsertCalls(postgres, "1, 2");

    PAssert.that(storeLines(pipeline, postgres.target())).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(
        List.of("e1", "e2", "e3", "e4", "e5", "e6"),
        postgres.query("SELECT event_id FROM user_events ORDER BY event_id").stream()
            .map(row -> (String) row.get(0))
            .toList());
    assertEquals(6, counter(result, TallyMetrics.VALID));
    assertEquals(0, counter(result, TallyMetrics.DUPLICATES));
    assertTrue(postgres.query("SELECT 1 FROM user_event_counts WHERE event_count > 2").isEmpty());
  }

  /**
   * A transient failure while storing row by row: the retry resumes with the rows not yet stored, so the rows
   * committed before it are not stored or counted again. Driven without a runner, so the batch is exactly the six
   * events. Trigger calls (the refused e4 fails before its trigger fires): e1-e3 of the batch (1-3); row by row e1
   * (4) commits, e2 fails (5); the retried rest e2, e3 (6, 7), then row by row e2, e3, e5, e6 (8-11).
   */
  @Test
  void aTransientFailureWhileStoringRowByRowResumesWithTheRest(TestPostgres postgres) throws Exception {
    PostgresSchema.apply(postgres.target(), SCHEMA);
    execute(postgres, "ALTER TABLE user_events ALTER COLUMN user_id TYPE varchar(16)");
    failInsertCalls(postgres, "5");
    StoreEventsWithCounts sink =
        new StoreEventsWithCounts(
            postgres.target(), SCHEMA, new EventWindows(Duration.standardMinutes(1), null), 100);
    List<String> committed = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    TransactionalBatches<Event> batches =
        new TransactionalBatches<>(
            postgres.target(),
            100,
            new TransactionalBatches.Store<>() {
              @Override
              public void store(Connection connection, List<Event> events) throws SQLException {
                sink.store(connection, events);
              }

              @Override
              public void committed(List<Event> events) {
                events.forEach(event -> committed.add(event.eventId()));
              }

              @Override
              public void rejected(Event event, String databaseMessage) {
                rejected.add(event.eventId() + ": " + databaseMessage);
              }
            },
            RetryPolicy.withBudget(RetryPolicy.DEFAULT_BUDGET));

    batches.startBundle();
    for (int i = 0; i < 6; i++) {
      String user = i == 3 ? LONG_USER : "u" + i;
      Instant time = Instant.parse("2026-11-23T10:00:00Z").plusSeconds(i);
      batches.add(
          new Event(
              "e" + (i + 1), user, "view", time, null,
              Arrays.asList("e" + (i + 1), user, "view", time.toString(), null, null, null, null, null, null, null),
              "in.csv:" + (i + 1)));
    }
    batches.flush();
    batches.closeConnection();

    assertEquals(List.of("e1", "e2", "e3", "e5", "e6"), committed);
    assertEquals(List.of("e4: value too long for type character varying(16) (SQLState 22001)"), rejected);
    assertEquals(
        List.of("e1", "e2", "e3", "e5", "e6"),
        postgres.query("SELECT event_id FROM user_events ORDER BY event_id").stream()
            .map(row -> (String) row.get(0))
            .toList());
    assertEquals(List.of(List.<Object>of(11L)), postgres.query("SELECT last_value FROM insert_calls"));
  }
}
