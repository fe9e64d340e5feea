package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.UserError;
import dev.tally.schema.EventSchema;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PostgresSchemaTest {
  /**
   * Jar resources cannot be listed, so FILES names them: a new file in deploy/sql must be added there too (or to
   * DEPLOYMENT_ONLY_FILES when only deployments apply it).
   */
  @Test
  void appliesEverySqlFileOfDeploySqlInNameOrder() throws IOException {
    Path deploySql = Path.of("").toAbsolutePath().getParent().resolve("deploy/sql");
    try (Stream<Path> files = Files.list(deploySql)) {
      assertEquals(
          files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql")).sorted().toList(),
          Stream.concat(PostgresSchema.FILES.stream(), PostgresSchema.DEPLOYMENT_ONLY_FILES.stream()).sorted().toList());
    }
    for (String file : PostgresSchema.FILES) {
      assertTrue(PostgresSchema.sql(file).contains("CREATE TABLE IF NOT EXISTS"), file + " is packaged");
    }
  }

  /** A column that fills itself (the stream benchmark's insert time) is allowed; one Tally would leave empty is not. */
  @Test
  void extraColumnsAreAllowedOnlyWithADefault() throws Exception {
    try (TestPostgres postgres = TestPostgres.withNewSchema()) {
      PostgresSchema.apply(postgres.target(), EventSchema.defaultSchema());
      try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE user_events ADD COLUMN stored_at timestamptz DEFAULT clock_timestamp()");
        PostgresSchema.apply(postgres.target(), EventSchema.defaultSchema());
        statement.execute("INSERT INTO user_events (event_id, user_id, event_type, event_time)"
            + " VALUES ('e1', 'u1', 'view', now())");
        assertEquals(List.of(List.of(true)), postgres.query("SELECT stored_at IS NOT NULL FROM user_events"));

        statement.execute("ALTER TABLE user_events ADD COLUMN member text");
        UserError error =
            assertThrows(UserError.class, () -> PostgresSchema.apply(postgres.target(), EventSchema.defaultSchema()));
        assertTrue(error.getMessage().contains("member text"), error.getMessage());
        assertTrue(error.getMessage().contains("stored_at timestamp with time zone"), error.getMessage());
      }
    }
  }
}
