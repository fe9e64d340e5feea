package dev.tally.pipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.BatchPipeline;
import dev.tally.pipelines.RunSummary;
import dev.tally.pipelines.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch run with {@code --report} on Spark local[2], over a small input whose counts are worked out by hand:
 * the report's CSV, sums, top user, dead letters (raw text escaped) and run summary must say exactly that.
 */
class ReportFromOutputFolderTest {
  private static final String EVIL_RAW = "<script>alert('x&y')</script>";

  @TempDir Path dir;

  @Test
  void batchRunWritesAReportOfItsOutputs() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(
        in.resolve("events-1.csv"),
        List.of(
            "event_id,user_id,event_type,event_time,price",
            "e1,alice,view,2026-11-23T10:05:00Z,",
            "e2,alice,view,2026-11-23T10:20:00Z,",
            "e3,alice,purchase,2026-11-23T11:10:00Z,9.99",
            "e4,bob,view,2026-11-23T10:30:00Z,",
            "e5,bob,login,2026-11-23T12:00:00Z,",
            "e6,carol,view,2026-11-23T11:45:00Z,",
            "e2,alice,view,2026-11-23T10:20:00Z,",
            EVIL_RAW,
            "e7,dave,teleport,2026-11-23T10:00:00Z,",
            "e8,dave,view,not-a-time,"));
    Path out = dir.resolve("out");
    Path reportDir = dir.resolve("report");

    RunSummary summary =
        BatchPipeline.run(
            BatchPipeline.parseOptions(
                "--runner=SparkRunner",
                "--sparkMaster=local[2]",
                "--input=" + in + "/events-*",
                "--output=" + out,
                "--report=" + reportDir));

    assertEquals(List.of(10L, 6L, 1L, 3L), List.of(summary.read(), summary.valid(), summary.duplicates(), summary.deadLetters()));
    assertEquals(
        List.of(
            "user_id,login,purchase,view,total",
            "alice,0,1,2,3",
            "bob,1,0,1,2",
            "carol,0,0,1,1"),
        Files.readAllLines(reportDir.resolve(Report.CSV_FILE)));

    ReportData data = OutputFolderSource.read(out.toString());
    assertEquals(
        Map.of(
            Instant.parse("2026-11-23T10:00:00Z"), Map.of("view", 3L),
            Instant.parse("2026-11-23T11:00:00Z"), Map.of("purchase", 1L, "view", 1L),
            Instant.parse("2026-11-23T12:00:00Z"), Map.of("login", 1L)),
        data.eventsPerWindow());
    assertEquals(5, data.countRows());
    assertEquals(
        Map.of("invalid_timestamp", 1L, "malformed_record", 1L, "unknown_event_type", 1L), data.deadLettersByReason());
    assertEquals(EVIL_RAW, data.deadLetterExamples().get("malformed_record").get(0).raw());
    assertEquals(List.of(RunRecord.of(summary)), data.runs());

    String html = Files.readString(reportDir.resolve(Report.HTML_FILE));
    assertEquals(List.of("alice", "bob", "carol"), firstCells(html, "user-event-type-table"));
    assertEquals(List.of("invalid_timestamp", "malformed_record", "unknown_event_type"), firstCells(html, "dead-letter-reasons"));
    assertEquals(List.of(summary.runId()), firstCells(html, "run-table"));
    assertTrue(html.contains("<pre>&lt;script&gt;alert('x&amp;y')&lt;/script&gt;</pre>"), "raw text shown, escaped");
    assertFalse(html.contains("<script"), "no script in the page, and none injected by the data");
    for (String chart : List.of("chart-events-over-time", "chart-top-users", "chart-dead-letters")) {
      assertTrue(html.contains("<svg id='" + chart + "'"), chart);
    }
  }

  @Test
  void aFolderWithoutCountsIsNamedAsTheProblem() throws Exception {
    UserError error = assertThrows(UserError.class, () -> OutputFolderSource.read(dir.toString()));
    assertEquals(
        "--input=" + dir + " is not a batch output folder: it has no counts/ (give the --output of a ./tally batch run)",
        error.getMessage());
  }

  /** The text of the first cell of each data row of the table with this id. */
  static List<String> firstCells(String html, String tableId) {
    int start = html.indexOf("<table id=\"" + tableId + "\">");
    assertTrue(start >= 0, "no table " + tableId);
    String table = html.substring(start, html.indexOf("</table>", start));
    Matcher cells = Pattern.compile("<tr><td>([^<]*)</td>").matcher(table);
    return cells.results().map(cell -> cell.group(1)).toList();
  }
}
