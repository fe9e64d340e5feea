package dev.tally.pipelines.report;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link ReportData} as one self-contained HTML page: inline CSS and SVG charts, no script, nothing
 * fetched. Every text from the data (user ids, raw dead letters...) is HTML-escaped.
 */
public final class HtmlReport {
  /** Users in the top-users chart. */
  public static final int TOP_USERS_CHARTED = 10;
  /** Users in the page's user x event type table (the CSV has all of them). */
  public static final int USERS_LISTED = 25;

  private HtmlReport() {}

  /** @param csvFileName the CSV beside the page, linked from it */
  public static String render(ReportData data, String csvFileName) {
    List<String> types = data.eventTypes();
    List<UserRow> users = data.users();
    StringBuilder body = new StringBuilder();
    body.append("<h1>Tally report</h1>\n<p class=\"meta\">From ").append(Html.escape(data.source()))
        .append(", generated ").append(Html.time(data.generatedAt())).append("</p>\n");
    body.append("<div class=\"figures\">\n")
        .append(Html.figure("events counted", data.totalEvents()))
        .append(Html.figure("users", users.size()))
        .append(Html.figure("event types", types.size()))
        .append(Html.figure("windows", data.eventsPerWindow().size()))
        .append(Html.figure("count rows", data.countRows()))
        .append(Html.figure("dead letters", data.totalDeadLetters()))
        .append("</div>\n");

    body.append(runs(data.runs()));

    body.append("<h2 id=\"events-over-time\">Events per event type over time</h2>\n");
    body.append(
        Charts.lines("chart-events-over-time", "Events per window", "events", data.eventsPerWindow(), types));
    body.append(eventTypeTotals(data.eventsPerType()));

    body.append("<h2 id=\"top-users\">Top users</h2>\n");
    List<UserRow> top = users.subList(0, Math.min(TOP_USERS_CHARTED, users.size()));
    Map<String, Map<String, Long>> topByType = new LinkedHashMap<>();
    top.forEach(user -> topByType.put(user.userId(), user.eventsByType()));
    body.append(
        Charts.stackedBars(
            "chart-top-users", "Top " + top.size() + " users by events", "user", "events", topByType, types));

    body.append("<h2 id=\"user-event-types\">Users by event type</h2>\n");
    body.append("<p class=\"note\">The ").append(Math.min(USERS_LISTED, users.size())).append(" users with the most")
        .append(" events, of ").append(Html.number(users.size())).append(". All of them: <a href=\"")
        .append(Html.escape(csvFileName)).append("\">").append(Html.escape(csvFileName)).append("</a>.</p>\n");
    body.append(userTable("user-event-type-table", users.subList(0, Math.min(USERS_LISTED, users.size())), types));

    body.append(deadLetters(data));
    return Html.page("Tally report", "", body.toString());
  }

  /** A user x event type table with a total column, rows in the order given. */
  public static String userTable(String id, List<UserRow> users, List<String> types) {
    StringBuilder table = new StringBuilder("<table id=\"").append(Html.escape(id)).append("\">\n<tr><th>user</th>");
    types.forEach(type -> table.append("<th class=\"n\">").append(Html.escape(type)).append("</th>"));
    table.append("<th class=\"n\">total</th></tr>\n");
    for (UserRow user : users) {
      table.append("<tr><td>").append(Html.escape(user.userId())).append("</td>");
      types.forEach(type -> table.append("<td class=\"n\">").append(Html.number(user.events(type))).append("</td>"));
      table.append("<td class=\"n\">").append(Html.number(user.total())).append("</td></tr>\n");
    }
    return table.append("</table>\n").toString();
  }

  private static String eventTypeTotals(Map<String, Long> totals) {
    StringBuilder table = new StringBuilder("<table id=\"event-type-totals\">\n<tr><th>event type</th>")
        .append("<th class=\"n\">events</th></tr>\n");
    totals.forEach(
        (type, events) ->
            table.append("<tr><td>").append(Html.escape(type)).append("</td><td class=\"n\">")
                .append(Html.number(events)).append("</td></tr>\n"));
    return table.append("</table>\n").toString();
  }

  private static String runs(List<RunRecord> runs) {
    StringBuilder section = new StringBuilder("<h2 id=\"runs\">Run summary</h2>\n");
    if (runs.isEmpty()) {
      return section.append("<p class=\"note\">No run recorded.</p>\n").toString();
    }
    section.append("<table id=\"run-table\">\n<tr><th>run</th><th>status</th><th>runner</th><th>input</th>")
        .append("<th>started</th><th class=\"n\">seconds</th><th class=\"n\">read</th><th class=\"n\">valid</th>")
        .append("<th class=\"n\">duplicates</th><th class=\"n\">dead letters</th><th class=\"n\">count rows</th>")
        .append("<th>invariant</th></tr>\n");
    for (RunRecord run : runs) {
      section.append("<tr><td>").append(Html.escape(run.runId())).append("</td><td>").append(Html.escape(run.status()));
      if (run.message() != null) {
        section.append("<br><span class=\"note\">").append(Html.escape(run.message())).append("</span>");
      }
      section.append("</td><td>").append(Html.escape(run.runner()))
          .append("</td><td class=\"path\">").append(Html.escape(run.input()))
          .append("</td><td>").append(Html.time(run.startedAt()))
          .append("</td><td class=\"n\">").append(seconds(run))
          .append("</td><td class=\"n\">").append(Html.number(run.read()))
          .append("</td><td class=\"n\">").append(Html.number(run.valid()))
          .append("</td><td class=\"n\">").append(Html.number(run.duplicates()))
          .append("</td><td class=\"n\">").append(Html.number(run.deadLetters()))
          .append("</td><td class=\"n\">").append(Html.number(run.countRows()))
          .append("</td><td>").append(invariant(run)).append("</td></tr>\n");
    }
    return section.append("</table>\n<p class=\"note\">Invariant: read = valid + duplicates + dead letters.</p>\n")
        .toString();
  }

  private static String seconds(RunRecord run) {
    if (run.startedAt() == null || run.finishedAt() == null) {
      return "";
    }
    return String.format(Locale.ROOT, "%.1f", Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0);
  }

  private static String invariant(RunRecord run) {
    if (run.read() == null || run.valid() == null || run.duplicates() == null || run.deadLetters() == null) {
      return "";
    }
    return run.read() == run.valid() + run.duplicates() + run.deadLetters() ? "holds" : "DOES NOT HOLD";
  }

  private static String deadLetters(ReportData data) {
    StringBuilder section = new StringBuilder("<h2 id=\"dead-letters\">Dead letters by reason</h2>\n");
    if (data.deadLettersByReason().isEmpty()) {
      return section.append("<p class=\"note\">No dead letters.</p>\n").toString();
    }
    section.append(
        Charts.bars("chart-dead-letters", "Dead letters by reason", "reason", "dead letters", data.deadLettersByReason()));
    section.append("<table id=\"dead-letter-reasons\">\n<tr><th>reason</th><th class=\"n\">dead letters</th></tr>\n");
    data.deadLettersByReason().forEach(
        (reason, count) ->
            section.append("<tr><td>").append(Html.escape(reason)).append("</td><td class=\"n\">")
                .append(Html.number(count)).append("</td></tr>\n"));
    section.append("</table>\n");
    data.deadLetterExamples().forEach(
        (reason, examples) -> {
          section.append("<h3>").append(Html.escape(reason)).append(": ").append(examples.size())
              .append(examples.size() == 1 ? " example" : " examples").append("</h3>\n");
          for (DeadLetterExample example : examples) {
            section.append("<div class=\"dead-letter\"><span class=\"note\">")
                .append(Html.escape(example.source())).append(", stage ").append(Html.escape(example.stage()))
                .append(", ").append(Html.time(example.failedAt())).append(": ")
                .append(Html.escape(example.message())).append("</span>\n<pre>")
                .append(Html.escape(example.raw())).append("</pre>");
            if (example.shortened()) {
              section.append("<span class=\"note\">(first ").append(Html.number(example.raw().length()))
                  .append(" of ").append(Html.number(example.rawLength())).append(" characters)</span>");
            }
            section.append("</div>\n");
          }
        });
    return section.toString();
  }
}
