package dev.tally.runners.report;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.report.PostgresSource;
import dev.tally.pipelines.report.UserRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The dashboard's queries: aggregates over the latest windows of {@code user_event_counts} and the last hour of
 * {@code dead_letters}, so a poll costs the same however long the tables have grown. Works on the tables of the
 * streaming and of the batch path alike.
 */
final class DashboardQueries {
  private static final String LATEST_WINDOWS =
      "WITH latest AS (SELECT DISTINCT window_start FROM user_event_counts ORDER BY window_start DESC LIMIT ?) ";
  private static final String PER_WINDOW =
      LATEST_WINDOWS
          + """
          SELECT window_start, event_type, sum(event_count) FROM user_event_counts
          WHERE window_start IN (SELECT window_start FROM latest) GROUP BY 1, 2""";
  private static final String LATEST_PER_TYPE =
      LATEST_WINDOWS
          + """
          SELECT DISTINCT ON (event_type) event_type, window_start, window_end, events
          FROM (SELECT event_type, window_start, window_end, sum(event_count) AS events FROM user_event_counts
                WHERE window_start IN (SELECT window_start FROM latest) GROUP BY 1, 2, 3) w
          ORDER BY event_type, window_start DESC, window_end DESC""";
  private static final String TOP_USERS =
      LATEST_WINDOWS
          + """
          , per_user AS (SELECT user_id, event_type, sum(event_count) AS events FROM user_event_counts
                         WHERE window_start IN (SELECT window_start FROM latest) GROUP BY 1, 2)
          , top AS (SELECT user_id, sum(events) AS total FROM per_user GROUP BY 1 ORDER BY total DESC, user_id LIMIT ?)
          SELECT p.user_id, p.event_type, p.events FROM per_user p JOIN top USING (user_id)""";
  private static final String DEAD_LETTERS_PER_MINUTE =
      """
      SELECT date_trunc('minute', failed_at), count(*) FROM dead_letters
      WHERE failed_at > (SELECT max(failed_at) FROM dead_letters) - interval '1 hour'
      GROUP BY 1 ORDER BY 1""";

  private final PostgresTarget target;
  private final int windows;
  private final int topUsers;

  /**
   * @param windows how many of the latest window starts to show
   * @param topUsers how many users to rank
   */
  DashboardQueries(PostgresTarget target, int windows, int topUsers) {
    this.target = target;
    this.windows = windows;
    this.topUsers = topUsers;
  }

  /**
   * @throws UserError if PostgreSQL is unreachable or has no Tally tables
   */
  DashboardSnapshot snapshot() {
    try (Connection connection = target.connect()) {
      connection.setReadOnly(true);
      SortedMap<Instant, Map<String, Long>> perWindow = new TreeMap<>();
      try (PreparedStatement query = connection.prepareStatement(PER_WINDOW)) {
        query.setInt(1, windows);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            perWindow.computeIfAbsent(PostgresSource.instant(rows, 1), w -> new TreeMap<>())
                .put(rows.getString(2), rows.getLong(3));
          }
        }
      }
      List<DashboardSnapshot.LatestWindow> latest = new ArrayList<>();
      try (PreparedStatement query = connection.prepareStatement(LATEST_PER_TYPE)) {
        query.setInt(1, windows);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            latest.add(
                new DashboardSnapshot.LatestWindow(
                    rows.getString(1), PostgresSource.instant(rows, 2), PostgresSource.instant(rows, 3), rows.getLong(4)));
          }
        }
      }
      Map<String, Map<String, Long>> perUser = new LinkedHashMap<>();
      try (PreparedStatement query = connection.prepareStatement(TOP_USERS)) {
        query.setInt(1, windows);
        query.setInt(2, topUsers);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            perUser.computeIfAbsent(rows.getString(1), u -> new TreeMap<>()).put(rows.getString(2), rows.getLong(3));
          }
        }
      }
      List<UserRow> users = new ArrayList<>();
      perUser.forEach(
          (user, byType) -> users.add(new UserRow(user, byType, byType.values().stream().mapToLong(Long::longValue).sum())));
      users.sort(UserRow.MOST_EVENTS_FIRST);
      SortedMap<Instant, Long> deadLetters = new TreeMap<>();
      try (PreparedStatement query = connection.prepareStatement(DEAD_LETTERS_PER_MINUTE);
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          deadLetters.put(PostgresSource.instant(rows, 1), rows.getLong(2));
        }
      }
      return new DashboardSnapshot(Instant.now(), perWindow, latest, users, deadLetters);
    } catch (SQLException e) {
      throw new UserError(PostgresSource.problem(target, e), e);
    }
  }
}
