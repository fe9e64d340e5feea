package dev.tally.pipelines.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Inserts rows into Tally's tables the way the pipelines would have written them, for report and dashboard tests
 * (public: the runners module's tests use it through pipelines' test-jar).
 */
public final class TallyRows {
  public static final Duration HOUR = Duration.ofHours(1);

  private TallyRows() {}

  /** A {@code user_event_counts} row for the hour-long window starting at {@code windowStart}. */
  public static void count(Connection connection, Instant windowStart, String user, String type, long events)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO user_event_counts (window_start, window_end, user_id, event_type, event_count)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setTimestamp(1, Timestamp.from(windowStart));
      insert.setTimestamp(2, Timestamp.from(windowStart.plus(HOUR)));
      insert.setString(3, user);
      insert.setString(4, type);
      insert.setLong(5, events);
      insert.executeUpdate();
    }
  }

  /** A {@code dead_letters} row of run {@code run-1}; its key is its source. */
  public static void deadLetter(Connection connection, String source, String raw, String reason, Instant failedAt)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO dead_letters (dead_letter_id, raw, source, stage, reason, message, failed_at, run_id)"
                + " VALUES (?, ?, ?, 'parse', ?, 'bad', ?, 'run-1')")) {
      insert.setString(1, source);
      insert.setString(2, raw);
      insert.setString(3, source);
      insert.setString(4, reason);
      insert.setTimestamp(5, Timestamp.from(failedAt));
      insert.executeUpdate();
    }
  }

  /** A DONE {@code pipeline_runs} row of the Spark runner reading {@code in/*} into {@code out}. */
  public static void doneRun(
      Connection connection, String runId, Instant startedAt, Instant finishedAt, long read, long valid,
      long duplicates, long deadLetters, long countRows) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO pipeline_runs (run_id, runner, input, output, started_at, finished_at, status, read, valid,"
                + " duplicates, dead_letters, count_rows) VALUES (?, 'SparkRunner', 'in/*', 'out', ?, ?, 'DONE', ?, ?,"
                + " ?, ?, ?)")) {
      insert.setString(1, runId);
      insert.setTimestamp(2, Timestamp.from(startedAt));
      insert.setTimestamp(3, Timestamp.from(finishedAt));
      insert.setLong(4, read);
      insert.setLong(5, valid);
      insert.setLong(6, duplicates);
      insert.setLong(7, deadLetters);
      insert.setLong(8, countRows);
      insert.executeUpdate();
    }
  }
}
