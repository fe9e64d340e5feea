package dev.tally.runners.bench;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.runners.compare.CompareException;
import dev.tally.schema.EventSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One stream benchmark run's PostgreSQL schema: Tally's tables plus {@code user_events.bench_stored_at}, which
 * PostgreSQL fills with the wall clock when it inserts each row ({@code clock_timestamp()}, the same machine clock
 * the producer stamps event times with). A row's event-to-row latency is {@code bench_stored_at - event_time}: the
 * moment it was sent to the moment the sink inserted it (its transaction commits at most one JDBC batch later).
 */
public final class StreamBenchDatabase {
  static final String STORED_AT = "bench_stored_at";
  /** Only lower-case letters, digits and '_': written into DDL, where identifiers cannot be parameters. */
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final PostgresTarget server;
  private final String schema;

  /**
   * @param server the database, as given (its URL without a currentSchema)
   * @param schema the new schema's name
   */
  public StreamBenchDatabase(PostgresTarget server, String schema) {
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain schema name: " + schema);
    }
    this.server = server;
    this.schema = schema;
  }

  /** The pipeline's view: the same database with this schema as its current one. */
  public PostgresTarget target() {
    String url = server.url();
    return new PostgresTarget(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, server.user(),
        server.password());
  }

  public String schema() {
    return schema;
  }

  /** Creates the schema, Tally's tables in it (default event schema) and the insert-time column. */
  public void create() {
    execute(server, "CREATE SCHEMA " + schema);
    try {
      PostgresSchema.apply(target(), EventSchema.defaultSchema());
    } catch (UserError e) {
      throw new CompareException(e.getMessage());
    }
    execute(target(), "ALTER TABLE user_events ADD COLUMN " + STORED_AT + " timestamptz NOT NULL DEFAULT clock_timestamp()");
  }

  /** Drops the schema and everything in it. */
  public void drop() {
    execute(server, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** Rows in user_events. */
  public long storedRows() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM user_events")) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw failure("count user_events", e);
    }
  }

  /** Records accounted for: rows in user_events plus rows in dead_letters. */
  public long storedRecords() {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT (SELECT count(*) FROM user_events) + (SELECT count(*) FROM dead_letters)")) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw failure("count user_events and dead_letters", e);
    }
  }

  /**
   * The first event time and the last insert time (epoch ms) of the events sent since {@code sinceMillis}, or
   * empty if none is stored.
   */
  public Optional<long[]> firstSentLastStored(long sinceMillis) {
    String sql = "SELECT (extract(epoch FROM min(event_time)) * 1000)::bigint,"
        + " (extract(epoch FROM max(" + STORED_AT + ")) * 1000)::bigint FROM user_events WHERE event_time >= ?";
    try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
      query.setObject(1, utc(sinceMillis));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        long first = rows.getLong(1);
        return rows.wasNull() ? Optional.empty() : Optional.of(new long[] {first, rows.getLong(2)});
      }
    } catch (SQLException e) {
      throw failure("read the first event time", e);
    }
  }

  /** Rows per second since {@code startMillis} (epoch ms) by event time: the events sent in each second. */
  public Map<Integer, Long> sentPerSecond(long startMillis) {
    return perSecond("event_time", startMillis);
  }

  /** Rows per second since {@code startMillis} (epoch ms) by insert time, of the events sent since then. */
  public Map<Integer, Long> storedPerSecond(long startMillis) {
    return perSecond(STORED_AT, startMillis);
  }

  private Map<Integer, Long> perSecond(String column, long startMillis) {
    // column is one of two constants above, never input.
    String sql = "SELECT floor((extract(epoch FROM " + column + ") * 1000 - ?) / 1000)::int AS second, count(*)"
        + " FROM user_events WHERE event_time >= ? GROUP BY 1";
    Map<Integer, Long> counts = new TreeMap<>();
    try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
      query.setLong(1, startMillis);
      query.setObject(2, utc(startMillis));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getInt(1), rows.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw failure("read the rows per second", e);
    }
    return counts;
  }

  /** Event-to-row latency percentiles of the events sent in [fromMillis, toMillis) (epoch ms). */
  public Latency latency(long fromMillis, long toMillis) {
    String sql = "SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms),"
        + " max(latency_ms) FROM (SELECT (extract(epoch FROM " + STORED_AT + " - event_time) * 1000)::float8 AS latency_ms"
        + " FROM user_events WHERE event_time >= ? AND event_time < ?) AS rows";
    try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
      query.setObject(1, utc(fromMillis));
      query.setObject(2, utc(toMillis));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        long count = rows.getLong(1);
        if (count == 0) {
          return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        Double[] percentiles = (Double[]) rows.getArray(2).getArray();
        return new Latency(count, percentiles[0], percentiles[1], percentiles[2], rows.getDouble(3));
      }
    } catch (SQLException e) {
      throw failure("compute the latency percentiles", e);
    }
  }

  /**
   * Event-to-row latency in milliseconds over a set of rows (PostgreSQL's {@code percentile_cont}: interpolated).
   *
   * @param rows how many rows they cover; 0 leaves every figure NaN
   */
  public record Latency(long rows, double p50, double p95, double p99, double max) {}

  /** A timestamptz parameter, unambiguous whatever the JVM's and the session's time zones. */
  private static OffsetDateTime utc(long epochMillis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }

  private Connection connect() {
    try {
      return target().connect();
    } catch (UserError e) {
      throw new CompareException(e.getMessage());
    }
  }

  private void execute(PostgresTarget on, String sql) {
    Connection connection;
    try {
      connection = on.connect();
    } catch (UserError e) {
      throw new CompareException(e.getMessage());
    }
    try (connection; Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  private CompareException failure(String what, SQLException e) {
    return new CompareException("PostgreSQL at " + server.url() + ", schema " + schema + ": cannot " + what + ": "
        + e.getMessage());
  }
}
