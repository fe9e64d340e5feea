package dev.tally.pipelines.io.postgres;

import dev.tally.model.Event;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Inserts valid events into {@code user_events}, one column per schema field plus the record's source (see
 * {@link UserEventsTable}). A key already stored (a re-run, a retried bundle) is skipped: the first stored copy
 * stays.
 */
public class WriteEventsToPostgres extends PTransform<PCollection<Event>, PDone> {
  private final PostgresTarget target;
  private final EventSchema schema;
  private final int batchSize;

  public WriteEventsToPostgres(PostgresTarget target, EventSchema schema, int batchSize) {
    this.target = target;
    this.schema = schema;
    this.batchSize = batchSize;
  }

  @Override
  public PDone expand(PCollection<Event> events) {
    EventSchema fields = schema;
    return events.apply(
        "InsertEvents",
        target.<Event>write(
            UserEventsTable.insert(schema),
            (event, statement) -> setParameters(fields, event, statement),
            batchSize));
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
