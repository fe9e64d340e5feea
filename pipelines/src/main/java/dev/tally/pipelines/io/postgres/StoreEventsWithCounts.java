package dev.tally.pipelines.io.postgres;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.schema.EventSchema;
import dev.tally.transforms.TallyMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Counter;

/**
 * The streaming path's effectively-once sink. In one transaction per batch it inserts the valid events into
 * {@code user_events} ({@code ON CONFLICT DO NOTHING} on the event id, or on {@code tally_source} =
 * topic-partition:offset for schemas without one) and, for exactly the rows really inserted, adds one to
 * {@code user_event_counts} for each window containing the event's time ({@link EventWindows}). A replayed or
 * re-processed event inserts nothing and so adds nothing: each count always equals the number of distinct stored
 * events of its (window, user, type), however often the runner replays, and however late an event arrives. An
 * event PostgreSQL refuses ({@link RejectedEvents}) is neither stored nor counted: it becomes a dead letter.
 *
 * <p>Rows are written in key order (events by key, then counts by window, user, type), so concurrent batches
 * lock rows in the same order and cannot deadlock each other.
 */
public final class StoreEventsWithCounts extends TransactionalSink<Event> {
  static final String ADD_COUNTS =
      """
      INSERT INTO user_event_counts (window_start, window_end, user_id, event_type, event_count)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (window_start, window_end, user_id, event_type) DO UPDATE
        SET event_count = user_event_counts.event_count + EXCLUDED.event_count, updated_at = now()""";

  private static final Comparator<CountKey> COUNT_ORDER =
      Comparator.comparing(CountKey::windowStart)
          .thenComparing(CountKey::windowEnd)
          .thenComparing(CountKey::userId)
          .thenComparing(CountKey::eventType);

  private final EventSchema schema;
  private final EventWindows windows;
  private final Counter valid = TallyMetrics.counter(TallyMetrics.VALID);
  private final Counter duplicates = TallyMetrics.counter(TallyMetrics.DUPLICATES);
  private transient int lastInserted;

  public StoreEventsWithCounts(PostgresTarget target, EventSchema schema, EventWindows windows, int batchSize) {
    super(target, batchSize);
    this.schema = schema;
    this.windows = windows;
  }

  private record CountKey(Instant windowStart, Instant windowEnd, String userId, String eventType) {}

  @Override
  protected void store(Connection connection, List<Event> elements) throws SQLException {
    List<Event> events = new ArrayList<>(elements);
    events.sort(Comparator.comparing(event -> WriteEventsToPostgres.key(schema, event)));
    int[] inserted = WriteEventsToPostgres.insert(connection, schema, events);
    Map<CountKey, Long> increments = new TreeMap<>(COUNT_ORDER);
    int insertedRows = 0;
    for (int i = 0; i < events.size(); i++) {
      if (inserted[i] < 0) {
        // Without a row count the effect on the counts is unknown: never guess.
        throw new IllegalStateException("PostgreSQL gave no row count for an insert into user_events");
      }
      if (inserted[i] == 0) {
        continue;
      }
      insertedRows++;
      Event event = events.get(i);
      for (EventWindows.Window window : windows.of(event.eventTime())) {
        increments.merge(
            new CountKey(window.start(), window.end(), event.userId(), event.eventType()), 1L, Long::sum);
      }
    }
    if (!increments.isEmpty()) {
      try (PreparedStatement add = connection.prepareStatement(ADD_COUNTS)) {
        for (Map.Entry<CountKey, Long> increment : increments.entrySet()) {
          CountKey key = increment.getKey();
          add.setObject(1, PostgresValues.timestamp(key.windowStart()));
          add.setObject(2, PostgresValues.timestamp(key.windowEnd()));
          add.setString(3, PostgresValues.text(key.userId()));
          add.setString(4, PostgresValues.text(key.eventType()));
          add.setLong(5, increment.getValue());
          add.addBatch();
        }
        add.executeBatch();
      }
    }
    lastInserted = insertedRows;
  }

  @Override
  protected void committed(List<Event> elements) {
    valid.inc(lastInserted);
    duplicates.inc(elements.size() - lastInserted);
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
