package dev.tally.pipelines.io.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ReasonCode;
import dev.tally.model.Stage;
import dev.tally.schema.EventSchema;
import java.time.Instant;

/**
 * The dead letter of a valid event PostgreSQL refused to store (reason {@code rejected_by_database}, stage
 * {@code store}). An event no longer carries its input line, so {@code raw} is the event as validated: a JSON
 * object of every schema field's canonical text, in schema order ({@code null} where absent); {@code source} is
 * still its file and line or topic-partition:offset, so a re-read stores the dead letter once.
 */
public final class RejectedEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RejectedEvents() {}

  public static DeadLetter deadLetter(EventSchema schema, Event event, String databaseMessage) {
    ObjectNode fields = JSON.createObjectNode();
    for (int i = 0; i < schema.fieldCount(); i++) {
      fields.put(schema.field(i).name(), event.value(i));
    }
    String raw;
    try {
      raw = JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen: an object of strings always serialises", e);
    }
    return new DeadLetter(
        raw,
        event.source(),
        Stage.STORE,
        ReasonCode.REJECTED_BY_DATABASE,
        "PostgreSQL refused to store this valid event in " + UserEventsTable.TABLE + ": " + databaseMessage,
        Instant.now());
  }
}
