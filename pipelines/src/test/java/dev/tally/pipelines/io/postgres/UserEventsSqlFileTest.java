package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.schema.EventSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/sql/002_user_events.sql is exactly the DDL the pipelines make from the default event schema, so a table
 * created by deploy/sql passes the pipelines' column check and a least-privilege role never needs to create it.
 */
class UserEventsSqlFileTest {
  @Test
  void theFileHoldsTheDefaultSchemasStatements() throws Exception {
    EventSchema schema = EventSchema.load("default");
    List<String> expected = new ArrayList<>(UserEventsTable.ddl(schema));
    expected.add(UserEventsTable.index(schema));

    String file = Files.readString(Paths.get("").toAbsolutePath().getParent().resolve("deploy/sql/002_user_events.sql"));
    List<String> statements =
        Arrays.stream(file.replaceAll("(?m)^--.*\\R", "").split(";"))
            .map(String::strip)
            .filter(statement -> !statement.isEmpty())
            .toList();

    assertEquals(expected, statements);
  }
}
