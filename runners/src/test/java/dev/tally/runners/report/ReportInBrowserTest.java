package dev.tally.runners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.TestPostgresExtension;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.schema.EventSchema;
import dev.tally.pipelines.report.Report;
import dev.tally.pipelines.report.TallyRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tally report} from rows this test inserts into its own PostgreSQL schema, then the page opened in
 * headless Chromium: every chart laid out with a size and drawn shapes, no console error, the raw text of a dead
 * letter shown and not run, the right top user. Saves target/report-screenshot.png.
 */
@Tag("integration")
@ExtendWith(TestPostgresExtension.class)
class ReportInBrowserTest {
  static final Instant START = Instant.parse("2026-11-23T08:00:00Z");
  static final List<String> TYPES = List.of("add_to_cart", "purchase", "view");
  static final String EVIL_RAW = "<script>window.injected = true</script>";

  @TempDir Path dir;

  /**
   * Eight hourly windows of twelve users and three event types, plus one heavy user (u07: 100 more views at 10:00),
   * dead letters of two reasons and a run. Returns user -> event type -> events, as inserted.
   */
  static Map<String, Map<String, Long>> insertRows(Connection connection) throws Exception {
    PostgresSchema.apply(connection, EventSchema.defaultSchema(), "test");
    Map<String, Map<String, Long>> inserted = new TreeMap<>();
    for (int window = 0; window < 8; window++) {
      for (int user = 1; user <= 12; user++) {
        for (int type = 0; type < TYPES.size(); type++) {
          String userId = String.format("u%02d", user);
          long events = (window * 7L + user * 3L + type * 5L) % 9 + 1 + (user == 7 && window == 2 && type == 2 ? 100 : 0);
          TallyRows.count(connection, START.plus(TallyRows.HOUR.multipliedBy(window)), userId, TYPES.get(type), events);
          inserted.computeIfAbsent(userId, u -> new TreeMap<>()).merge(TYPES.get(type), events, Long::sum);
        }
      }
    }
    TallyRows.deadLetter(connection, "in.csv:17", EVIL_RAW, "malformed_record", START.plusSeconds(600));
    TallyRows.deadLetter(connection, "in.csv:18", "e1,u1,fly,2026-11-23T08:00:00Z", "unknown_event_type", START.plusSeconds(660));
    TallyRows.deadLetter(connection, "in.csv:19", "e2,u1,swim,2026-11-23T08:00:00Z", "unknown_event_type", START.plusSeconds(665));
    TallyRows.doneRun(connection, "run-1", START, START.plusSeconds(30), 400, 390, 7, 3, 288);
    return inserted;
  }

  @Test
  void reportRendersInChromium(TestPostgres postgres) throws Exception {
    Map<String, Map<String, Long>> inserted;
    try (Connection connection = postgres.connect()) {
      inserted = insertRows(connection);
    }
    Path reportDir = dir.resolve("report");
    StringWriter err = new StringWriter();
    int exit =
        CliErrors.execute(
            ReportCli.NAME, new ReportCli(), new PrintWriter(err, true),
            "--jdbcUrl=" + postgres.url(), "--jdbcUser=" + TestPostgres.USER,
            "--jdbcPasswordFile=" + postgres.passwordFile(dir), "--output=" + reportDir);
    assertEquals(0, exit, err.toString());

    // The CSV: every user with the sums inserted, most events first.
    List<String> expectedCsv = new ArrayList<>(List.of("user_id,add_to_cart,purchase,view,total"));
    inserted.entrySet().stream()
        .sorted((a, b) -> Long.compare(total(b.getValue()), total(a.getValue())) != 0
            ? Long.compare(total(b.getValue()), total(a.getValue())) : a.getKey().compareTo(b.getKey()))
        .forEach(user -> {
          Map<String, Long> byType = user.getValue();
          expectedCsv.add(user.getKey() + "," + byType.get("add_to_cart") + "," + byType.get("purchase") + ","
              + byType.get("view") + "," + total(byType));
        });
    assertEquals(expectedCsv, Files.readAllLines(reportDir.resolve(Report.CSV_FILE)));
    assertTrue(expectedCsv.get(1).startsWith("u07,"), "the heavy user is first: " + expectedCsv.get(1));

    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.open(reportDir.resolve(Report.HTML_FILE).toUri().toString());
      assertChartsRendered(
          chromium, List.of("chart-events-over-time", "chart-top-users", "chart-dead-letters"));
      assertEquals("u07", chromium.text("#user-event-type-table tr:nth-child(2) td"));
      assertEquals("undefined", chromium.evaluate("typeof window.injected"), "a dead letter's raw text never runs");
      assertTrue(chromium.text("div.dead-letter pre").equals(EVIL_RAW), "and it is shown as text");
      chromium.screenshot(Path.of("target/report-screenshot.png"));
      assertEquals(List.of(), chromium.consoleErrors());
    }
  }

  @Test
  void twoSourcesOrNoneIsBadUsage() {
    for (List<String> args :
        List.of(
            List.of("--output=" + dir),
            List.of("--output=" + dir, "--input=" + dir, "--jdbcUrl=jdbc:postgresql://127.0.0.1/tally"))) {
      StringWriter err = new StringWriter();
      int exit = CliErrors.execute(ReportCli.NAME, new ReportCli(), new PrintWriter(err, true), args.toArray(String[]::new));
      assertEquals(2, exit);
      assertEquals(
          "tally report: give exactly one source: --input=FOLDER (a batch output folder) or --jdbcUrl=URL (PostgreSQL)"
              + " (see --help)\n",
          err.toString());
    }
  }

  @Test
  void aFolderThatIsNoBatchOutputIsOneLine() {
    StringWriter err = new StringWriter();
    int exit =
        CliErrors.execute(
            ReportCli.NAME, new ReportCli(), new PrintWriter(err, true), "--input=" + dir, "--output=" + dir.resolve("r"));
    assertEquals(1, exit);
    assertEquals(
        "tally report: --input=" + dir + " is not a batch output folder: it has no counts/ (give the --output of a"
            + " ./tally batch run)\n",
        err.toString());
  }

  /** Each chart is present, laid out with a size, and holds drawn shapes. */
  static void assertChartsRendered(HeadlessChromium chromium, List<String> ids) {
    List<HeadlessChromium.Chart> charts = chromium.charts();
    assertEquals(ids, charts.stream().map(HeadlessChromium.Chart::id).toList());
    for (HeadlessChromium.Chart chart : charts) {
      assertTrue(chart.width() > 300 && chart.height() > 100, "laid out with a size: " + chart);
      assertTrue(chart.shapes() > 20, "drawn: " + chart);
    }
  }

  private static long total(Map<String, Long> byType) {
    return byType.values().stream().mapToLong(Long::longValue).sum();
  }
}
