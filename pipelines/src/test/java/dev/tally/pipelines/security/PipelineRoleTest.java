package dev.tally.pipelines.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.generator.EventGenerator;
import dev.tally.generator.GeneratedData;
import dev.tally.generator.GeneratedRecord;
import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.GroundTruth;
import dev.tally.generator.GroundTruth.CountKey;
import dev.tally.pipelines.BatchPipeline;
import dev.tally.pipelines.RunSummary;
import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.schema.EventSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege pipeline role of deploy/sql: applied by psql to a fresh database, the batch pipeline on
 * Spark runs as that role and stores exactly the generator's rows, while the role can neither create, drop,
 * alter, truncate nor delete; a missing table gives one line naming the fix.
 */
@Tag("integration")
class PipelineRoleTest {
  // PostgreSQL's SQLSTATE insufficient_privilege.
  private static final String DENIED = "42501";

  @TempDir Path dir;
  private PipelineRoleDatabase db;

  @BeforeEach
  void createDatabase() throws Exception {
    db = PipelineRoleDatabase.create();
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void batchPipelineStoresExactRowsAsTheRestrictedRole() throws Exception {
    GeneratedData data =
        EventGenerator.generate(
            GeneratorConfig.builder().events(2000).users(20).files(2).seed(61).outputDir(dir.resolve("in")).build());

    RunSummary summary =
        BatchPipeline.run(
            BatchPipeline.parseOptions(
                "--runner=SparkRunner", "--sparkMaster=local[2]", "--input=" + dir.resolve("in") + "/events-*",
                "--output=" + dir.resolve("out"), "--jdbcUrl=" + db.url(), "--jdbcUser=" + db.role,
                "--jdbcPasswordFile=" + db.rolePasswordFile(dir)));

    long uniqueValid = data.records().stream().filter(GeneratedRecord::isUniqueValid).count();
    long invalid = data.records().stream().filter(record -> record.reason() != null).count();
    assertTrue(uniqueValid > 1000 && invalid > 0, "the generator injected too little");
    try (Connection owner = db.connectAsOwner()) {
      Map<CountKey, Long> counts = new TreeMap<>();
      try (Statement statement = owner.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT window_start, window_end, user_id, event_type, event_count FROM user_event_counts")) {
        while (rows.next()) {
          counts.put(
              new CountKey(
                  ((Timestamp) rows.getObject(1)).toInstant(), ((Timestamp) rows.getObject(2)).toInstant(),
                  rows.getString(3), rows.getString(4)),
              rows.getLong(5));
        }
      }
      assertEquals(GroundTruth.counts(data.records(), Duration.ofHours(1)), counts);
      assertEquals(uniqueValid, count(owner, "SELECT count(*) FROM user_events"));
      assertEquals(invalid, count(owner, "SELECT count(*) FROM dead_letters"));
      assertEquals(
          1, count(owner, "SELECT count(*) FROM pipeline_runs WHERE status = 'DONE' AND run_id = '" + summary.runId() + "'"));
    }
  }

  @Test
  void theRoleMayWriteRowsButNotChangeOrEmptyTables() throws Exception {
    try (Connection owner = db.connectAsOwner();
        PreparedStatement query =
            owner.prepareStatement("SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = ?")) {
      query.setString(1, db.role);
      try (ResultSet row = query.executeQuery()) {
        assertTrue(row.next());
        assertEquals(List.of(false, false, false, true),
            List.of(row.getBoolean(1), row.getBoolean(2), row.getBoolean(3), row.getBoolean(4)));
      }
    }
    try (Connection role = db.connectAsRole()) {
      assertEquals(1, update(role,
          "INSERT INTO pipeline_runs (run_id, runner, input, started_at, status) VALUES ('r1', 'x', 'y', now(), 'RUNNING')"));
      assertEquals(1, update(role, "UPDATE pipeline_runs SET status = 'DONE' WHERE run_id = 'r1'"));
      for (String forbidden :
          List.of(
              "CREATE TABLE tally_extra (a int)",
              "DROP TABLE user_events",
              "ALTER TABLE user_event_counts ADD COLUMN extra int",
              "TRUNCATE dead_letters",
              "DELETE FROM pipeline_runs",
              "CREATE INDEX extra ON user_events (category)",
              "CREATE SCHEMA extra")) {
        SQLException e = assertThrows(SQLException.class, () -> update(role, forbidden), forbidden);
        assertEquals(DENIED, e.getSQLState(), forbidden + ": " + e.getMessage());
      }
    }
  }

  @Test
  void aMissingTableTheRoleMayNotCreateIsOneLineNamingDeploySql() throws Exception {
    try (Connection owner = db.connectAsOwner()) {
      update(owner, "DROP TABLE user_events");
    }

    UserError error =
        assertThrows(UserError.class, () -> PostgresSchema.apply(db.asRole(), EventSchema.load("default")));

    assertTrue(error.getMessage().startsWith("PostgreSQL role " + db.role + " may not create Tally's missing table(s)"
        + " user_events at " + db.url() + " ("), error.getMessage());
    assertTrue(error.getMessage().contains("psql -f deploy/sql/001_tally_tables.sql -f deploy/sql/002_user_events.sql"),
        error.getMessage());
    assertEquals(-1, error.getMessage().indexOf('\n'));
    try (Connection owner = db.connectAsOwner()) {
      assertEquals(0, count(owner, "SELECT count(*) FROM pg_class WHERE relname = 'user_events'"));
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static int update(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }
}
