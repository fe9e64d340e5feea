package dev.tally.runners.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tally.pipelines.UserError;
import dev.tally.pipelines.report.Html;
import dev.tally.pipelines.report.UserRow;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The dashboard's HTTP server (the JDK's): {@code /} is the page, {@code /api/snapshot} the same data as JSON
 * with the page's panels pre-rendered. Each request reads PostgreSQL afresh; nothing is cached.
 */
final class DashboardServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DashboardQueries queries;
  private final int windows;
  private final int refreshSeconds;
  private final HttpServer server;
  private final ExecutorService threads;

  /**
   * Binds {@code host:port} (port 0: any free port) and starts serving.
   *
   * @throws UserError if the port is taken
   */
  DashboardServer(DashboardQueries queries, int windows, int refreshSeconds, String host, int port) throws IOException {
    this.queries = queries;
    this.windows = windows;
    this.refreshSeconds = refreshSeconds;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw new UserError("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): choose another --port", e);
    }
    server.createContext("/", this::handle);
    threads = Executors.newFixedThreadPool(2);
    server.setExecutor(threads);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain", "only GET");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      boolean api = path.equals(DashboardPage.SNAPSHOT_PATH);
      if (!api && !path.equals("/")) {
        send(exchange, 404, "text/plain", "not found: the dashboard is at /");
        return;
      }
      DashboardSnapshot snapshot;
      try {
        snapshot = queries.snapshot();
      } catch (UserError e) {
        if (api) {
          send(exchange, 503, "application/json", JSON.createObjectNode().put("error", e.getMessage()).toString());
        } else {
          send(exchange, 503, "text/html", Html.page("Tally dashboard", "",
              "<h1>Tally dashboard</h1>\n<p class=\"error\">" + Html.escape(e.getMessage()) + "</p>\n"));
        }
        return;
      }
      if (api) {
        send(exchange, 200, "application/json", json(snapshot));
      } else {
        send(exchange, 200, "text/html", DashboardPage.page(snapshot, windows, refreshSeconds));
      }
    }
  }

  /** The snapshot's data, and its panels as the page shows them. */
  String json(DashboardSnapshot snapshot) {
    ObjectNode root = JSON.createObjectNode();
    root.put("generated_at", snapshot.generatedAt().toString());
    root.put("generated_at_text", Html.time(snapshot.generatedAt()));
    ArrayNode latest = root.putArray("latest_windows");
    snapshot.latestWindows().forEach(
        window -> latest.addObject()
            .put("event_type", window.eventType())
            .put("window_start", window.windowStart().toString())
            .put("window_end", window.windowEnd().toString())
            .put("events", window.events()));
    ArrayNode users = root.putArray("top_users");
    for (UserRow user : snapshot.topUsers()) {
      ObjectNode row = users.addObject().put("user_id", user.userId()).put("events", user.total());
      ObjectNode byType = row.putObject("events_by_type");
      user.eventsByType().forEach(byType::put);
    }
    ArrayNode perMinute = root.putArray("dead_letters_per_minute");
    snapshot.deadLettersPerMinute().forEach(
        (minute, count) -> perMinute.addObject().put("minute", minute.toString()).put("dead_letters", count));
    ObjectNode panels = root.putObject("panels");
    DashboardPage.panels(snapshot, windows).forEach(panels::put);
    return root.toString();
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
