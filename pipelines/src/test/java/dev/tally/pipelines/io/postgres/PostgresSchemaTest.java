package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PostgresSchemaTest {
  /** Jar resources cannot be listed, so FILES names them: a new file in deploy/sql must be added there too. */
  @Test
  void appliesEverySqlFileOfDeploySqlInNameOrder() throws IOException {
    Path deploySql = Path.of("").toAbsolutePath().getParent().resolve("deploy/sql");
    try (Stream<Path> files = Files.list(deploySql)) {
      assertEquals(
          files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql")).sorted().toList(),
          PostgresSchema.FILES);
    }
    for (String file : PostgresSchema.FILES) {
      assertTrue(PostgresSchema.sql(file).contains("CREATE TABLE IF NOT EXISTS"), file + " is packaged");
    }
  }
}
