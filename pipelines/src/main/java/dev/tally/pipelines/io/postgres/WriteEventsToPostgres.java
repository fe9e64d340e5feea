package dev.tally.pipelines.io.postgres;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ReasonCode;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import dev.tally.transforms.TallyMetrics;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;

/**
 * Inserts valid events into {@code user_events}, one column per schema field plus the record's source (see
 * {@link UserEventsTable}), through {@link StoreEvents}. A key already stored (a re-run, a retried bundle) is
 * skipped: the first stored copy stays.
 *
 * <p>Its output is the dead letters of the events PostgreSQL refused (in the global window, like the other dead
 * letters). The batch path counted those events as valid upstream; here each moves from {@code valid} to
 * {@code dead_letters} (and {@code dead_letters.rejected_by_database}), so {@code read = valid + duplicates +
 * dead_letters} still holds and {@code valid} is the number of events stored.
 */
public class WriteEventsToPostgres extends PTransform<PCollection<Event>, PCollection<DeadLetter>> {
  private final PostgresTarget target;
  private final EventSchema schema;
  private final int batchSize;

  public WriteEventsToPostgres(PostgresTarget target, EventSchema schema, int batchSize) {
    this.target = target;
    this.schema = schema;
    this.batchSize = batchSize;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<Event> events) {
    return events
        .apply("InsertEvents", ParDo.of(new StoreEvents(target, schema, batchSize)))
        .apply("GlobalWindow", Window.into(new GlobalWindows()))
        .apply("CountRejected", ParDo.of(new CountRejected()));
  }

  /** Moves a refused event from the valid count to the dead-letter counts. */
  private static final class CountRejected extends DoFn<DeadLetter, DeadLetter> {
    private final Counter valid = TallyMetrics.counter(TallyMetrics.VALID);
    private final Counter deadLetters = TallyMetrics.counter(TallyMetrics.DEAD_LETTERS);
    private final Counter rejected =
        TallyMetrics.counter(TallyMetrics.deadLettersFor(ReasonCode.REJECTED_BY_DATABASE));

    @ProcessElement
    public void processElement(@Element DeadLetter letter, OutputReceiver<DeadLetter> out) {
      valid.dec();
      deadLetters.inc();
      rejected.inc();
      out.output(letter);
    }
  }

  /** The primary key of the event's user_events row. */
  static String key(EventSchema schema, Event event) {
    return schema.hasEventId() ? event.eventId() : event.source();
  }

  /**
   * Inserts {@code events} in one JDBC batch, in their order, inside the caller's transaction.
   *
   * @return per event, 1 if inserted, 0 if its key was already stored
   */
  static int[] insert(Connection connection, EventSchema schema, List<Event> events) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(UserEventsTable.insert(schema))) {
      for (Event event : events) {
        setParameters(schema, event, insert);
        insert.addBatch();
      }
      return insert.executeBatch();
    }
  }

  /** Binds the canonical texts ValidateEvents produced, typed as the columns are. */
  static void setParameters(EventSchema schema, Event event, PreparedStatement statement) throws SQLException {
    int fieldCount = schema.fieldCount();
    for (int i = 0; i < fieldCount; i++) {
      FieldSpec field = schema.field(i);
      String value = event.value(i);
      int parameter = i + 1;
      switch (field.type()) {
        case LONG:
          if (value == null) {
            statement.setNull(parameter, Types.BIGINT);
          } else {
            statement.setLong(parameter, Long.parseLong(value));
          }
          break;
        case DECIMAL:
          if (value == null) {
            statement.setNull(parameter, Types.NUMERIC);
          } else {
            statement.setBigDecimal(parameter, new BigDecimal(value));
          }
          break;
        case TIMESTAMP:
          if (value == null) {
            statement.setNull(parameter, Types.TIMESTAMP_WITH_TIMEZONE);
          } else {
            statement.setObject(parameter, PostgresValues.timestamp(Instant.parse(value)));
          }
          break;
        default:
          statement.setString(parameter, PostgresValues.text(value));
          break;
      }
    }
    statement.setString(fieldCount + 1, PostgresValues.text(event.source()));
  }
}
