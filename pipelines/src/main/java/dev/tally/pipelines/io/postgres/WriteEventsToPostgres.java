package dev.tally.pipelines.io.postgres;

import dev.tally.model.Event;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Inserts valid events into {@code user_events}. An event_id already stored (a re-run, a retried bundle) is
 * skipped: the first stored copy stays.
 */
public class WriteEventsToPostgres extends PTransform<PCollection<Event>, PDone> {
  static final String INSERT =
      """
      INSERT INTO user_events (event_id, user_id, event_type, event_time, product_id, category, price, currency,
                               device, location, session_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (event_id) DO NOTHING""";

  private final PostgresTarget target;
  private final int batchSize;

  public WriteEventsToPostgres(PostgresTarget target, int batchSize) {
    this.target = target;
    this.batchSize = batchSize;
  }

  @Override
  public PDone expand(PCollection<Event> events) {
    return events.apply(
        "InsertEvents",
        target.<Event>write(INSERT, WriteEventsToPostgres::setParameters, batchSize));
  }

  private static void setParameters(Event event, PreparedStatement statement) throws SQLException {
    statement.setString(1, PostgresValues.text(event.eventId()));
    statement.setString(2, PostgresValues.text(event.userId()));
    statement.setString(3, event.eventType().wireName());
    statement.setObject(4, PostgresValues.timestamp(event.eventTime()));
    statement.setString(5, PostgresValues.text(event.productId()));
    statement.setString(6, PostgresValues.text(event.category()));
    if (event.price() == null) {
      statement.setNull(7, Types.NUMERIC);
    } else {
      statement.setBigDecimal(7, event.price());
    }
    statement.setString(8, PostgresValues.text(event.currency()));
    statement.setString(9, PostgresValues.text(event.device()));
    statement.setString(10, PostgresValues.text(event.location()));
    statement.setString(11, PostgresValues.text(event.sessionId()));
  }
}
