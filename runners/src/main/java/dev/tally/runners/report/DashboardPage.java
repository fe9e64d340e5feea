package dev.tally.runners.report;

import dev.tally.pipelines.report.Charts;
import dev.tally.pipelines.report.Html;
import dev.tally.pipelines.report.HtmlReport;
import dev.tally.pipelines.report.UserRow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's HTML, all rendered here (charts as SVG): the page, and its panels by element id, which the
 * page's small script swaps in from {@code /api/snapshot} every few seconds. Nothing is loaded from elsewhere.
 */
final class DashboardPage {
  static final String EVENTS_PANEL = "events-per-type";
  static final String USERS_PANEL = "top-users";
  static final String DEAD_LETTERS_PANEL = "dead-letters";
  static final String SNAPSHOT_PATH = "/api/snapshot";

  private DashboardPage() {}

  /** Panel element id -> its inner HTML. */
  static Map<String, String> panels(DashboardSnapshot snapshot, int windows) {
    Map<String, String> panels = new LinkedHashMap<>();
    panels.put(EVENTS_PANEL, events(snapshot, windows));
    panels.put(USERS_PANEL, users(snapshot));
    panels.put(DEAD_LETTERS_PANEL, deadLetters(snapshot));
    return panels;
  }

  static String page(DashboardSnapshot snapshot, int windows, int refreshSeconds) {
    StringBuilder body = new StringBuilder("<h1>Tally dashboard</h1>\n");
    body.append("<p class=\"meta\">Live from PostgreSQL, refreshed every ").append(refreshSeconds)
        .append(" s. <span id=\"updated\">Updated ").append(Html.time(snapshot.generatedAt()))
        .append("</span></p>\n");
    panels(snapshot, windows).forEach(
        (id, html) -> body.append("<section id=\"").append(id).append("\">\n").append(html).append("</section>\n"));
    String script =
        """
        <script>
        const refreshMillis = %d;
        async function refresh() {
          const updated = document.getElementById('updated');
          try {
            const response = await fetch('%s', {cache: 'no-store'});
            if (!response.ok) {
              throw new Error((await response.json()).error || 'HTTP ' + response.status);
            }
            const snapshot = await response.json();
            for (const [id, html] of Object.entries(snapshot.panels)) {
              document.getElementById(id).innerHTML = html;
            }
            updated.className = '';
            updated.textContent = 'Updated ' + snapshot.generated_at_text;
          } catch (problem) {
            updated.className = 'error';
            updated.textContent = 'Cannot refresh: ' + problem.message;
          }
        }
        setInterval(refresh, refreshMillis);
        </script>
        """
            .formatted(refreshSeconds * 1000, SNAPSHOT_PATH);
    return Html.page("Tally dashboard", "", body + script);
  }

  private static String events(DashboardSnapshot snapshot, int windows) {
    StringBuilder html = new StringBuilder("<h2>Latest windows per event type</h2>\n");
    html.append(
        Charts.lines(
            "chart-events-per-type", "Events in the latest " + windows + " windows", "events",
            snapshot.eventsPerWindow(), snapshot.eventTypes()));
    html.append("<table id=\"latest-windows\">\n<tr><th>event type</th><th>latest window (UTC)</th>")
        .append("<th class=\"n\">events</th></tr>\n");
    for (DashboardSnapshot.LatestWindow window : snapshot.latestWindows()) {
      html.append("<tr><td>").append(Html.escape(window.eventType())).append("</td><td>")
          .append(Html.time(window.windowStart())).append(" to ").append(Html.time(window.windowEnd()))
          .append("</td><td class=\"n\">").append(Html.number(window.events())).append("</td></tr>\n");
    }
    return html.append("</table>\n").toString();
  }

  private static String users(DashboardSnapshot snapshot) {
    StringBuilder html = new StringBuilder("<h2>Top users in these windows</h2>\n");
    Map<String, Map<String, Long>> byUser = new LinkedHashMap<>();
    for (UserRow user : snapshot.topUsers()) {
      byUser.put(user.userId(), user.eventsByType());
    }
    html.append(
        Charts.stackedBars(
            "chart-top-users", "Top " + snapshot.topUsers().size() + " users", "user", "events", byUser,
            snapshot.eventTypes()));
    html.append(HtmlReport.userTable("top-user-table", snapshot.topUsers(), snapshot.eventTypes()));
    return html.toString();
  }

  private static String deadLetters(DashboardSnapshot snapshot) {
    StringBuilder html = new StringBuilder("<h2>Dead letters per minute</h2>\n");
    html.append("<p class=\"note\">The hour up to the latest dead letter: <b id=\"dead-letters-last-hour\">")
        .append(Html.number(snapshot.deadLettersInLastHour())).append("</b> dead letters");
    if (!snapshot.deadLettersPerMinute().isEmpty()) {
      html.append(", the latest in the minute of ").append(Html.time(snapshot.deadLettersPerMinute().lastKey()));
    }
    html.append(".</p>\n");
    html.append(
        Charts.barsPerMinute(
            "chart-dead-letters-per-minute", "Dead letters per minute", "dead letters",
            snapshot.deadLettersPerMinute()));
    return html.toString();
  }
}
