package dev.tally.pipelines.io.postgres;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.schema.EventSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * The batch path's {@code user_events} sink: inserts each batch of valid events in one transaction, a key already
 * stored skipped (a re-run, a retried bundle). Counting happens upstream in the batch path, so row counts do not
 * matter and the faster multi-row inserts are used. An event PostgreSQL refuses becomes a dead letter
 * ({@link RejectedEvents}).
 */
final class StoreEvents extends TransactionalSink<Event> {
  private final EventSchema schema;

  StoreEvents(PostgresTarget target, EventSchema schema, int batchSize) {
    super(target, batchSize);
    this.schema = schema;
  }

  @Override
  protected DataSource dataSource(PostgresTarget target) {
    return target.dataSource();
  }

  @Override
  protected void store(Connection connection, List<Event> elements) throws SQLException {
    List<Event> events = new ArrayList<>(elements);
    // Key order, so parallel bundles lock rows in the same order and cannot deadlock each other.
    events.sort(Comparator.comparing(event -> WriteEventsToPostgres.key(schema, event)));
    WriteEventsToPostgres.insert(connection, schema, events);
  }

  @Override
  protected DeadLetter rejected(Event event, String databaseMessage) {
    return RejectedEvents.deadLetter(schema, event, databaseMessage);
  }

  @Override
  protected String source(Event event) {
    return event.source();
  }
}
