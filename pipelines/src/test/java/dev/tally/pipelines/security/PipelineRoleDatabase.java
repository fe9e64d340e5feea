package dev.tally.pipelines.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.Driver;

/**
 * A fresh database with {@code deploy/sql} applied by {@code psql} exactly as docker-compose and Kubernetes apply
 * it (as {@link TestPostgres#USER}, which owns the tables), and the least-privilege pipeline role of
 * {@code 010_pipeline_role.sql} under a random name with a random password. {@link #close} drops both.
 */
final class PipelineRoleDatabase implements AutoCloseable {
  /** The SQL files, in the order compose's and Kubernetes' init scripts run them. */
  static final List<String> SQL_FILES = List.of("001_tally_tables.sql", "002_user_events.sql", "010_pipeline_role.sql");

  final String host;
  final String port;
  final String database;
  final String role;
  final String rolePassword;

  private PipelineRoleDatabase(String host, String port, String database, String role, String rolePassword) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.role = role;
    this.rolePassword = rolePassword;
  }

  /** Creates the database and applies every file of {@code deploy/sql} to it; fails the test if psql fails. */
  static PipelineRoleDatabase create() throws Exception {
    Properties server = Driver.parseURL(TestPostgres.URL, new Properties());
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    // Only [a-z0-9_]: safe in DDL, where identifiers cannot be parameters.
    PipelineRoleDatabase db =
        new PipelineRoleDatabase(
            server.getProperty("PGHOST"), server.getProperty("PGPORT"), "tally_it_role_" + suffix,
            "tally_it_pipeline_" + suffix, "pw-" + UUID.randomUUID().toString().replace("-", ""));
    try (Connection connection = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.password());
        Statement statement = connection.createStatement()) {
      try (ResultSet rights =
          statement.executeQuery("SELECT rolcreatedb AND rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
        rights.next();
        assertTrue(rights.getBoolean(1),
            TestPostgres.USER + " lacks CREATEDB or CREATEROLE, which this test needs for a throw-away database and "
                + "pipeline role: as postgres, CREATE ROLE <name> LOGIN CREATEDB CREATEROLE PASSWORD '...', and point "
                + "TALLY_TEST_JDBC_USER and TALLY_JDBC_PASSWORD_FILE at it");
      }
      statement.execute("CREATE DATABASE " + db.database);
    }
    db.psql(SQL_FILES);
    return db;
  }

  /** Runs {@code psql -f} of these files of deploy/sql, passwords only in its environment. */
  void psql(List<String> files) throws IOException, InterruptedException {
    Path sql = Paths.get("").toAbsolutePath().getParent().resolve("deploy/sql");
    List<String> command =
        new ArrayList<>(List.of("psql", "-X", "-q", "-h", host, "-p", port, "-U", TestPostgres.USER, "-d", database,
            "-v", "ON_ERROR_STOP=1", "-v", "pipeline_role=" + role));
    for (String file : files) {
      command.addAll(List.of("-f", sql.resolve(file).toString()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", TestPostgres.password());
    builder.environment().put("TALLY_PIPELINE_PASSWORD", rolePassword);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "psql " + files + " failed:\n" + output);
  }

  String url() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The database as the pipeline role sees it. */
  PostgresTarget asRole() {
    return new PostgresTarget(url(), role, rolePassword);
  }

  /** Writes the role's password to a new file in {@code folder}, for {@code --jdbcPasswordFile}. */
  Path rolePasswordFile(Path folder) throws IOException {
    return Files.writeString(Files.createTempFile(folder, "role-password", ""), rolePassword + "\n");
  }

  Connection connectAsOwner() throws SQLException {
    return DriverManager.getConnection(url(), TestPostgres.USER, TestPostgres.password());
  }

  Connection connectAsRole() throws SQLException {
    return DriverManager.getConnection(url(), role, rolePassword);
  }

  @Override
  public void close() throws SQLException {
    try (Connection connection = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.password());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + "");
      statement.execute("DROP ROLE IF EXISTS " + role);
    }
  }
}
