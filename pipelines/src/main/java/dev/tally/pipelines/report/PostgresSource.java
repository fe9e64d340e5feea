package dev.tally.pipelines.report;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Reads {@link ReportData} from Tally's PostgreSQL tables {@code user_event_counts}, {@code dead_letters} and
 * {@code pipeline_runs}, summing in the database so only aggregates travel. The tables hold every run written to
 * them, so the report covers all of them; the runs table lists the latest {@link #RUNS_SHOWN}.
 */
public final class PostgresSource {
  public static final int RUNS_SHOWN = 10;
  private static final String UNDEFINED_TABLE = "42P01";

  private static final String COUNT_ROWS = "SELECT count(*) FROM user_event_counts";
  private static final String PER_WINDOW =
      "SELECT window_start, event_type, sum(event_count) FROM user_event_counts GROUP BY 1, 2";
  private static final String PER_USER =
      "SELECT user_id, event_type, sum(event_count) FROM user_event_counts GROUP BY 1, 2";
  private static final String DEAD_LETTERS_BY_REASON = "SELECT reason, count(*) FROM dead_letters GROUP BY 1";
  // The first examples of each reason by source position; raw cut in the database, as it can be megabytes.
  private static final String EXAMPLES =
      """
      SELECT reason, left(raw, ?), length(raw), source, stage, message, failed_at
      FROM (SELECT *, row_number() OVER (PARTITION BY reason ORDER BY source, failed_at) AS n FROM dead_letters) d
      WHERE n <= ?
      ORDER BY reason, n""";
  private static final String RUNS =
      """
      SELECT run_id, status, runner, input, output, started_at, finished_at, read, valid, duplicates, dead_letters,
             count_rows, message
      FROM pipeline_runs ORDER BY started_at DESC, run_id LIMIT ?""";

  private PostgresSource() {}

  /**
   * @throws UserError if PostgreSQL is unreachable or has no Tally tables
   */
  public static ReportData read(PostgresTarget target) {
    ReportData.Builder data = ReportData.builder("PostgreSQL " + target.url());
    try (Connection connection = target.connect()) {
      connection.setReadOnly(true);
      try (PreparedStatement query = connection.prepareStatement(COUNT_ROWS);
          ResultSet rows = query.executeQuery()) {
        rows.next();
        data.addCountRows(rows.getLong(1));
      }
      try (PreparedStatement query = connection.prepareStatement(PER_WINDOW);
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          data.addWindowEvents(instant(rows, 1), rows.getString(2), rows.getLong(3));
        }
      }
      try (PreparedStatement query = connection.prepareStatement(PER_USER);
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          data.addUserEvents(rows.getString(1), rows.getString(2), rows.getLong(3));
        }
      }
      try (PreparedStatement query = connection.prepareStatement(DEAD_LETTERS_BY_REASON);
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          data.addDeadLetters(rows.getString(1), rows.getLong(2));
        }
      }
      try (PreparedStatement query = connection.prepareStatement(EXAMPLES)) {
        query.setInt(1, DeadLetterExample.MAX_RAW_CHARS);
        query.setInt(2, ReportData.EXAMPLES_PER_REASON);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            data.addExample(
                new DeadLetterExample(
                    rows.getString(1),
                    DeadLetterExample.shortened(rows.getString(2)),
                    rows.getInt(3),
                    rows.getString(4),
                    rows.getString(5),
                    rows.getString(6),
                    instant(rows, 7)));
          }
        }
      }
      try (PreparedStatement query = connection.prepareStatement(RUNS)) {
        query.setInt(1, RUNS_SHOWN);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            data.addRun(
                new RunRecord(
                    rows.getString(1),
                    rows.getString(2),
                    rows.getString(3),
                    rows.getString(4),
                    rows.getString(5),
                    instant(rows, 6),
                    instant(rows, 7),
                    nullableLong(rows, 8),
                    nullableLong(rows, 9),
                    nullableLong(rows, 10),
                    nullableLong(rows, 11),
                    nullableLong(rows, 12),
                    rows.getString(13)));
          }
        }
      }
    } catch (SQLException e) {
      throw new UserError(problem(target, e), e);
    }
    return data.build();
  }

  /** The one line a user sees when a query fails. */
  public static String problem(PostgresTarget target, SQLException e) {
    if (UNDEFINED_TABLE.equals(e.getSQLState())) {
      return "PostgreSQL at " + target.url() + " has no Tally tables (" + firstLine(e)
          + "): write some with ./tally batch --jdbcUrl=... first, or check the database and ?currentSchema= in"
          + " --jdbcUrl";
    }
    return "cannot read Tally's tables in PostgreSQL at " + target.url() + ": " + firstLine(e);
  }

  private static String firstLine(SQLException e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.strip().lines().findFirst().orElseThrow();
  }

  /** A timestamptz column as an Instant, or null. */
  public static Instant instant(ResultSet rows, int column) throws SQLException {
    Timestamp timestamp = rows.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static Long nullableLong(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }
}
