package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.BatchPipeline;
import dev.tally.pipelines.UserError;
import dev.tally.pipelines.options.JdbcOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the password comes from, and that it shows nowhere; no database needed. */
class PostgresTargetTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/tally";
  private static final Map<String, String> NO_ENVIRONMENT = Map.of();

  @TempDir Path dir;

  private static JdbcOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(JdbcOptions.class);
  }

  @Test
  void noUrlMeansNoDatabase() {
    assertEquals(Optional.empty(), PostgresTarget.fromOptions(options(), Map.of("TALLY_JDBC_PASSWORD", "x")));
  }

  @Test
  void thePasswordComesFromTheEnvironmentOrTheFileWhichWins() throws Exception {
    assertEquals(
        new PostgresTarget(URL, "tally", "from env"),
        PostgresTarget.fromOptions(options("--jdbcUrl=" + URL), Map.of("TALLY_JDBC_PASSWORD", "from env")).orElseThrow());

    Path file = Files.writeString(dir.resolve("password"), "from file \n");
    assertEquals(
        new PostgresTarget(URL, "reader", "from file "),
        PostgresTarget.fromOptions(
                options("--jdbcUrl=" + URL, "--jdbcUser=reader", "--jdbcPasswordFile=" + file),
                Map.of("TALLY_JDBC_PASSWORD", "from env"))
            .orElseThrow());
  }

  @Test
  void aPasswordFileReadsAsForTheFlag() throws Exception {
    Path file = Files.writeString(dir.resolve("password"), "secret\n");
    assertEquals(new PostgresTarget(URL, "tally", "secret"), PostgresTarget.withPasswordFile(URL, "tally", file));
    assertThrows(UserError.class, () -> PostgresTarget.withPasswordFile(URL, "tally", dir.resolve("missing")));
  }

  @Test
  void aMissingPasswordIsAUserErrorNamingBothSources() throws Exception {
    UserError none =
        assertThrows(UserError.class, () -> PostgresTarget.fromOptions(options("--jdbcUrl=" + URL), NO_ENVIRONMENT));
    assertEquals(
        "no PostgreSQL password for user tally: set TALLY_JDBC_PASSWORD or --jdbcPasswordFile=<file holding the password>",
        none.getMessage());

    Path missing = dir.resolve("missing");
    UserError unreadable =
        assertThrows(UserError.class, () -> PostgresTarget.fromOptions(
            options("--jdbcUrl=" + URL, "--jdbcPasswordFile=" + missing), NO_ENVIRONMENT));
    assertEquals(
        "cannot read --jdbcPasswordFile=" + missing + " (NoSuchFileException): point it at a readable file holding "
            + "the password",
        unreadable.getMessage());

    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    UserError blank =
        assertThrows(UserError.class, () -> PostgresTarget.fromOptions(
            options("--jdbcUrl=" + URL, "--jdbcPasswordFile=" + empty), Map.of("TALLY_JDBC_PASSWORD", "x")));
    assertEquals("--jdbcPasswordFile=" + empty + " is empty: write the password into it", blank.getMessage());
  }

  @Test
  void aPasswordInTheUrlOrAsAFlagIsRefusedWithoutEchoingIt() {
    UserError inUrl =
        assertThrows(UserError.class, () -> PostgresTarget.fromOptions(
            options("--jdbcUrl=" + URL + "?user=tally&Password=hunter2"), Map.of("TALLY_JDBC_PASSWORD", "x")));
    assertTrue(inUrl.getMessage().startsWith("--jdbcUrl must not carry a password"), inUrl.getMessage());
    assertFalse(inUrl.getMessage().contains("hunter2"), inUrl.getMessage());

    UserError flag =
        assertThrows(UserError.class, () -> BatchPipeline.parseOptions("--input=x", "--output=y", "--jdbcPassword=hunter2"));
    assertEquals(
        "there is no --jdbcPassword flag (command lines show in ps and shell history): set TALLY_JDBC_PASSWORD or "
            + "--jdbcPasswordFile=<file holding the password>",
        flag.getMessage());

    UserError notPostgres =
        assertThrows(UserError.class, () -> PostgresTarget.fromOptions(
            options("--jdbcUrl=jdbc:mysql://localhost/tally"), Map.of("TALLY_JDBC_PASSWORD", "x")));
    assertEquals(
        "--jdbcUrl must start with jdbc:postgresql://, e.g. jdbc:postgresql://127.0.0.1:5432/tally",
        notPostgres.getMessage());
  }

  @Test
  void toStringHidesThePassword() {
    PostgresTarget target = new PostgresTarget(URL, "tally", "hunter2");
    assertEquals("PostgresTarget[url=" + URL + ", user=tally, password=<hidden>]", target.toString());
    assertEquals("PostgresDataSourceFn[" + target + "]", new PostgresDataSourceFn(target).toString());
  }

  @Test
  void connectionsBatchInsertsUnlessTheUrlSaysOtherwise() {
    assertEquals(URL + "?reWriteBatchedInserts=true", new PostgresTarget(URL, "u", "p").connectionUrl());
    assertEquals(
        URL + "?currentSchema=x&reWriteBatchedInserts=true",
        new PostgresTarget(URL + "?currentSchema=x", "u", "p").connectionUrl());
    assertEquals(
        URL + "?reWriteBatchedInserts=false",
        new PostgresTarget(URL + "?reWriteBatchedInserts=false", "u", "p").connectionUrl());
  }

  @Test
  void textLosesItsNulCharactersAndTimestampsTheirNanoseconds() {
    assertEquals("a\uFFFDb\uFFFD", PostgresValues.text("a\u0000b\u0000"));
    assertEquals(null, PostgresValues.text(null));
    assertEquals(
        java.time.OffsetDateTime.parse("2026-11-23T10:00:00.123456Z"),
        PostgresValues.timestamp(java.time.Instant.parse("2026-11-23T10:00:00.123456789Z")));
  }

  @Test
  void theSchemaFilesAreOnTheClasspathAndReRunnable() {
    for (String file : PostgresSchema.FILES) {
      String sql = PostgresSchema.sql(file);
      long creates = sql.lines().filter(line -> line.startsWith("CREATE ")).count();
      long reRunnable = sql.lines().filter(line -> line.matches("CREATE (TABLE|INDEX) IF NOT EXISTS .*")).count();
      assertTrue(creates > 0, file);
      assertEquals(creates, reRunnable, file + ": every CREATE must be IF NOT EXISTS");
    }
  }
}
