package dev.tally.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.TestPostgresExtension;
import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.schema.EventSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report from PostgreSQL rows this test inserts into its own schema: the sums, the CSV table, the dead-letter
 * examples (long raw text cut) and the runs must be exactly those rows'.
 */
@Tag("integration")
@ExtendWith(TestPostgresExtension.class)
class ReportFromPostgresTest {
  private static final Instant T10 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant T11 = Instant.parse("2026-11-23T11:00:00Z");
  private static final Instant T12 = Instant.parse("2026-11-23T12:00:00Z");

  @TempDir Path dir;

  @Test
  void reportShowsTheTablesRows(TestPostgres postgres) throws Exception {
    String longRaw = "x".repeat(2000);
    try (Connection connection = postgres.connect()) {
      PostgresSchema.apply(connection, EventSchema.defaultSchema(), "test");
      TallyRows.count(connection, T10, "u2", "view", 4);
      TallyRows.count(connection, T10, "u1", "view", 2);
      TallyRows.count(connection, T11, "u1", "purchase", 1);
      TallyRows.count(connection, T11, "u1", "view", 5);
      TallyRows.count(connection, T11, "u3", "login", 3);
      TallyRows.count(connection, T12, "u2", "login", 2);
      TallyRows.deadLetter(connection, "in.csv:3", "<img src=x onerror=alert(1)>", "malformed_record", T12);
      TallyRows.deadLetter(connection, "in.csv:4", longRaw, "record_too_large", T12);
      TallyRows.deadLetter(connection, "in.csv:5", "e9,u9,teleport,2026-11-23T10:00:00Z", "unknown_event_type", T12);
      TallyRows.deadLetter(connection, "in.csv:6", "e10,u9,fly,2026-11-23T10:00:00Z", "unknown_event_type", T12);
      TallyRows.doneRun(connection, "run-1", T12, T12.plusSeconds(7), 22, 17, 1, 4, 6);
    }

    ReportData data = PostgresSource.read(postgres.target());
    ReportFiles files = Report.write(data, dir.resolve("report"));

    assertEquals(
        List.of(
            "user_id,login,purchase,view,total",
            "u1,0,1,7,8",
            "u2,2,0,4,6",
            "u3,3,0,0,3"),
        Files.readAllLines(files.csv()));
    assertEquals(
        Map.of(T10, Map.of("view", 6L), T11, Map.of("login", 3L, "purchase", 1L, "view", 5L), T12, Map.of("login", 2L)),
        data.eventsPerWindow());
    assertEquals(6, data.countRows());
    assertEquals(
        Map.of("malformed_record", 1L, "record_too_large", 1L, "unknown_event_type", 2L), data.deadLettersByReason());
    DeadLetterExample tooLarge = data.deadLetterExamples().get("record_too_large").get(0);
    assertEquals(List.of("x".repeat(DeadLetterExample.MAX_RAW_CHARS), 2000), List.of(tooLarge.raw(), tooLarge.rawLength()));
    assertEquals(
        List.of("in.csv:5", "in.csv:6"),
        data.deadLetterExamples().get("unknown_event_type").stream().map(DeadLetterExample::source).toList());
    assertEquals(
        List.of(new RunRecord("run-1", "DONE", "SparkRunner", "in/*", "out", T12, T12.plusSeconds(7), 22L, 17L, 1L, 4L, 6L, null)),
        data.runs());

    String html = Files.readString(files.html());
    assertEquals(List.of("u1", "u2", "u3"), ReportFromOutputFolderTest.firstCells(html, "user-event-type-table"));
    assertTrue(html.contains("<pre>&lt;img src=x onerror=alert(1)&gt;</pre>"), "raw text escaped");
    assertTrue(html.contains("(first 500 of 2,000 characters)"), "a long record is cut, and says so");
    assertTrue(html.contains("<td>holds</td>"), "the run's invariant");
  }

  @Test
  void aDatabaseWithoutTallysTablesIsNamedAsTheProblem(TestPostgres postgres) {
    UserError error = assertThrows(UserError.class, () -> PostgresSource.read(postgres.target()));
    assertTrue(
        error.getMessage().startsWith("PostgreSQL at " + postgres.url() + " has no Tally tables ("),
        error.getMessage());
    assertTrue(error.getMessage().endsWith("write some with ./tally batch --jdbcUrl=... first, or check the database"
        + " and ?currentSchema= in --jdbcUrl"), error.getMessage());
  }
}
