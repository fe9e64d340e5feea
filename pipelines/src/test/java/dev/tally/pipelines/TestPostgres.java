package dev.tally.pipelines;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.pipelines.io.postgres.PostgresTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL the integration tests write to, with a throw-away schema per test. Connection settings come
 * from the environment: {@code TALLY_TEST_JDBC_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/tally}),
 * {@code TALLY_TEST_JDBC_USER} (default {@code tally}) and the password from {@code TALLY_JDBC_PASSWORD}, else
 * the file named by {@code TALLY_JDBC_PASSWORD_FILE}, else {@code data/stack/postgres/password} in the
 * repository. An unreachable database fails the test: these tests are never silently skipped. Public for the
 * runners module's tests (pipelines' test-jar).
 */
public final class TestPostgres implements AutoCloseable {
  public static final String URL = environment("TALLY_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/tally");
  public static final String USER = environment("TALLY_TEST_JDBC_USER", "tally");
  private static final String START_IT = "start PostgreSQL with ./tally stack up postgres";

  public final String password;
  public final String schema;

  private TestPostgres(String password, String schema) {
    this.password = password;
    this.schema = schema;
  }

  /** Connects (failing the test if it cannot) and creates a new empty schema. */
  public static TestPostgres withNewSchema() {
    String password = password();
    // Only [a-z0-9_]: safe to write into DDL, where identifiers cannot be parameters.
    String schema = "tally_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection connection = DriverManager.getConnection(URL, USER, password);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      fail("cannot reach PostgreSQL at " + URL + " as " + USER + " (" + e.getMessage() + "): " + START_IT
          + ", or point TALLY_TEST_JDBC_URL, TALLY_TEST_JDBC_USER and TALLY_JDBC_PASSWORD(_FILE) at a database");
    }
    return new TestPostgres(password, schema);
  }

  /** The password of {@link #USER}, from the environment or the stack's file (failing the test without one). */
  public static String password() {
    String password = System.getenv("TALLY_JDBC_PASSWORD");
    if (password != null && !password.isEmpty()) {
      return password;
    }
    String file = System.getenv("TALLY_JDBC_PASSWORD_FILE");
    // Surefire runs in the pipelines module: its parent is the repository.
    Path path =
        file != null && !file.isEmpty()
            ? Path.of(file)
            : Paths.get("").toAbsolutePath().getParent().resolve("data/stack/postgres/password");
    try {
      return Files.readString(path).replaceFirst("[\r\n]+$", "");
    } catch (IOException e) {
      return fail("no PostgreSQL password: cannot read " + path + " (" + e.getClass().getSimpleName() + "); "
          + START_IT + ", or set TALLY_JDBC_PASSWORD or TALLY_JDBC_PASSWORD_FILE");
    }
  }

  private static String environment(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** The URL of this test's schema. */
  public String url() {
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** This test's schema as the pipelines address a database. */
  public PostgresTarget target() {
    return new PostgresTarget(url(), USER, password);
  }

  /** Writes the password to a new file in {@code folder}, for {@code --jdbcPasswordFile}. */
  public Path passwordFile(Path folder) throws IOException {
    return Files.writeString(Files.createTempFile(folder, "password", ""), password + "\n");
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, password);
  }

  /** Every row of a query, each column read with {@code getObject}. */
  public List<List<Object>> query(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      ResultSetMetaData columns = rows.getMetaData();
      List<List<Object>> result = new ArrayList<>();
      while (rows.next()) {
        List<Object> row = new ArrayList<>();
        for (int column = 1; column <= columns.getColumnCount(); column++) {
          row.add(rows.getObject(column));
        }
        result.add(row);
      }
      return result;
    }
  }

  /** Every row of {@code table} as text, all columns, ordered by all columns: for before/after comparisons. */
  public List<String> dump(String table) throws SQLException {
    List<String> lines = new ArrayList<>();
    for (List<Object> row : query("SELECT t::text FROM " + table + " t ORDER BY t::text")) {
      lines.add((String) row.get(0));
    }
    return lines;
  }

  /** Drops the schema and everything in it. */
  @Override
  public void close() throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, USER, password);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
