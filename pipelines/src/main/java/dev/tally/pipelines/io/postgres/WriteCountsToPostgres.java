package dev.tally.pipelines.io.postgres;

import dev.tally.model.WindowedCount;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Upserts windowed counts into {@code user_event_counts}, keyed by window, user and event type. A later pane or
 * a re-run overwrites the count; a row whose count is unchanged is not touched, so its {@code updated_at} keeps
 * saying when the count last changed and re-running the same input changes nothing.
 */
public class WriteCountsToPostgres extends PTransform<PCollection<WindowedCount>, PDone> {
  static final String UPSERT =
      """
      INSERT INTO user_event_counts (window_start, window_end, user_id, event_type, event_count)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (window_start, window_end, user_id, event_type) DO UPDATE
        SET event_count = EXCLUDED.event_count, updated_at = now()
        WHERE user_event_counts.event_count IS DISTINCT FROM EXCLUDED.event_count""";

  private final PostgresTarget target;
  private final int batchSize;

  public WriteCountsToPostgres(PostgresTarget target, int batchSize) {
    this.target = target;
    this.batchSize = batchSize;
  }

  @Override
  public PDone expand(PCollection<WindowedCount> counts) {
    return counts.apply(
        "UpsertCounts",
        target.<WindowedCount>write(UPSERT, WriteCountsToPostgres::setParameters, batchSize));
  }

  private static void setParameters(WindowedCount count, PreparedStatement statement) throws SQLException {
    statement.setObject(1, PostgresValues.timestamp(count.windowStart()));
    statement.setObject(2, PostgresValues.timestamp(count.windowEnd()));
    statement.setString(3, PostgresValues.text(count.userId()));
    statement.setString(4, PostgresValues.text(count.eventType()));
    statement.setLong(5, count.eventCount());
  }
}
