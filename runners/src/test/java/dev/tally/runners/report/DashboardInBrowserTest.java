package dev.tally.runners.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.TestPostgresExtension;
import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.schema.EventSchema;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.report.TallyRows;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard over rows this test inserts into its own PostgreSQL schema: its JSON must hold exactly the latest
 * windows, top users and dead letters per minute of those rows; in headless Chromium every chart renders with no
 * console error, and a window inserted afterwards appears without reloading. Saves
 * target/dashboard-screenshot.png.
 */
@Tag("integration")
@ExtendWith(TestPostgresExtension.class)
class DashboardInBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final int WINDOWS = 3;

  private DashboardServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Instant hour(int offset) {
    return T0.plus(TallyRows.HOUR.multipliedBy(offset));
  }

  @Test
  void dashboardShowsTheLatestWindowsAndRefreshesItself(TestPostgres postgres) throws Exception {
    try (Connection connection = postgres.connect()) {
      PostgresSchema.apply(connection, EventSchema.defaultSchema(), "test");
      TallyRows.count(connection, hour(0), "a", "view", 50); // older than the latest three windows: not shown
      TallyRows.count(connection, hour(2), "a", "view", 1);
      TallyRows.count(connection, hour(2), "b", "view", 4);
      TallyRows.count(connection, hour(2), "c", "login", 2);
      TallyRows.count(connection, hour(3), "b", "view", 3);
      TallyRows.count(connection, hour(3), "c", "view", 5);
      TallyRows.count(connection, hour(4), "c", "login", 1);
      TallyRows.count(connection, hour(4), "a", "view", 2);
      TallyRows.deadLetter(connection, "in:1", "x", "malformed_record", Instant.parse("2026-11-23T10:30:00Z"));
      TallyRows.deadLetter(connection, "in:2", "y", "malformed_record", Instant.parse("2026-11-23T12:00:10Z"));
      TallyRows.deadLetter(connection, "in:3", "z", "invalid_timestamp", Instant.parse("2026-11-23T12:00:50Z"));
      TallyRows.deadLetter(connection, "in:4", "w", "malformed_record", Instant.parse("2026-11-23T12:02:05Z"));
    }
    server = new DashboardServer(new DashboardQueries(postgres.target(), WINDOWS, DashboardCli.TOP_USERS), WINDOWS, 1, "127.0.0.1", 0);
    String base = "http://127.0.0.1:" + server.port();

    HttpResponse<String> response = get(base + DashboardPage.SNAPSHOT_PATH);
    assertEquals(200, response.statusCode());
    JsonNode snapshot = JSON.readTree(response.body());
    assertEquals(
        JSON.readTree(
            """
            [{"event_type":"login","window_start":"2026-11-23T12:00:00Z","window_end":"2026-11-23T13:00:00Z","events":1},
             {"event_type":"view","window_start":"2026-11-23T12:00:00Z","window_end":"2026-11-23T13:00:00Z","events":2}]"""),
        snapshot.get("latest_windows"));
    assertEquals(
        JSON.readTree(
            """
            [{"user_id":"c","events":8,"events_by_type":{"login":3,"view":5}},
             {"user_id":"b","events":7,"events_by_type":{"view":7}},
             {"user_id":"a","events":3,"events_by_type":{"view":3}}]"""),
        snapshot.get("top_users"));
    assertEquals(
        JSON.readTree(
            """
            [{"minute":"2026-11-23T12:00:00Z","dead_letters":2},{"minute":"2026-11-23T12:02:00Z","dead_letters":1}]"""),
        snapshot.get("dead_letters_per_minute"));
    assertEquals(404, get(base + "/elsewhere").statusCode());

    try (HeadlessChromium chromium = new HeadlessChromium()) {
      chromium.open(base + "/");
      ReportInBrowserTest.assertChartsRendered(
          chromium, List.of("chart-events-per-type", "chart-top-users", "chart-dead-letters-per-minute"));
      assertEquals("c", chromium.text("#top-user-table tr:nth-child(2) td"));
      assertEquals("3", chromium.text("#dead-letters-last-hour"));

      try (Connection connection = postgres.connect()) {
        TallyRows.count(connection, hour(5), "b", "view", 9);
      }
      assertTrue(
          chromium.awaitText("#latest-windows", "2026-11-23 13:00:00 UTC to 2026-11-23 14:00:00 UTC", Duration.ofSeconds(15)),
          "the page shows a new window without reloading: " + chromium.text("#latest-windows"));
      assertEquals("b", chromium.text("#top-user-table tr:nth-child(2) td"), "b: 3 + 9 views in the latest three windows");
      ReportInBrowserTest.assertChartsRendered(
          chromium, List.of("chart-events-per-type", "chart-top-users", "chart-dead-letters-per-minute"));
      chromium.screenshot(Path.of("target/dashboard-screenshot.png"));
      assertEquals(List.of(), chromium.consoleErrors());
    }
  }

  @Test
  void aTakenPortIsOneLine() throws Exception {
    // The port is bound before any query: this database is never asked.
    PostgresTarget nowhere = new PostgresTarget("jdbc:postgresql://127.0.0.1:1/none", "tally", "unused");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      UserError error =
          assertThrows(
              UserError.class,
              () -> new DashboardServer(new DashboardQueries(nowhere, WINDOWS, 10), WINDOWS, 1, "127.0.0.1", taken.getLocalPort()));
      assertTrue(
          error.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (")
              && error.getMessage().endsWith("): choose another --port"),
          error.getMessage());
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
