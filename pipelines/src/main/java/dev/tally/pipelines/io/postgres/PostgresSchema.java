package dev.tally.pipelines.io.postgres;

import dev.tally.pipelines.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import dev.tally.schema.EventSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates Tally's tables if they are missing: the fixed ones from the SQL files in {@code deploy/sql} (packaged
 * into the jar under {@code dev/tally/sql/}), and {@code user_events} from the event schema
 * ({@link UserEventsTable}). Every statement is re-runnable, so this runs before every pipeline run. When every
 * table exists, no DDL runs at all (only {@code user_events}' columns are checked): a least-privilege role that
 * may only write rows (deploy/sql/010_pipeline_role.sql) then works, and one that may not create a missing table
 * gets one error naming the fix.
 */
public final class PostgresSchema {
  /** The files, in the order they are applied. Jar resources cannot be listed reliably: add new files here. */
  public static final List<String> FILES = List.of("001_tally_tables.sql");

  /**
   * The files of deploy/sql only deployments apply (as the database owner): the default event schema's
   * user_events (the pipelines make theirs from --schema) and the least-privilege role (psql only: \getenv).
   */
  public static final List<String> DEPLOYMENT_ONLY_FILES = List.of("002_user_events.sql", "010_pipeline_role.sql");

  /** The least-privilege login role deploy/sql/010_pipeline_role.sql creates, which deployments run as. */
  public static final String PIPELINE_ROLE = "tally_pipeline";

  /** Every table the pipelines write; deploy/sql creates them (user_events for the default event schema). */
  public static final List<String> TABLES =
      List.of("user_event_counts", UserEventsTable.TABLE, "dead_letters", "pipeline_runs", "kafka_stored_offsets");

  // PostgreSQL's SQLSTATE insufficient_privilege.
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private static final String RESOURCE_FOLDER = "/dev/tally/sql/";
  // Concurrent CREATE TABLE IF NOT EXISTS of one table can fail with a unique violation in the catalog, so
  // runs starting together take turns (the lock is released at commit). Any constant works; this spells "tally".
  private static final long LOCK_KEY = 0x74616c6c79L;

  private PostgresSchema() {}

  /**
   * Connects and applies every file, in one transaction.
   *
   * @throws UserError if PostgreSQL is unreachable, or the user may not create the tables there
   */
  public static void apply(PostgresTarget target, EventSchema schema) {
    try (Connection connection = target.connect()) {
      apply(connection, schema, target.url());
    } catch (SQLException e) {
      throw new UserError(
          "cannot create Tally's tables (" + String.join(", ", FILES) + ") in PostgreSQL at " + target.url()
              + " as " + target.user() + ": " + target.describe(e) + "; check that the schema exists (a "
              + "currentSchema in --jdbcUrl must be created first) and that " + target.user()
              + " may create tables in it",
          e);
    }
  }

  /**
   * Applies every file and the schema's {@code user_events} on {@code connection}, in one transaction.
   *
   * @throws UserError if an existing {@code user_events} has another schema's columns
   */
  public static void apply(Connection connection, EventSchema schema, String url) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, LOCK_KEY);
        lock.execute();
      }
      List<String> missing = missingTables(connection);
      if (missing.isEmpty()) {
        UserEventsTable.checkColumns(connection, schema, url);
      } else {
        createTables(connection, schema, url, missing);
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static void createTables(Connection connection, EventSchema schema, String url, List<String> missing)
      throws SQLException {
    try {
      try (Statement statement = connection.createStatement()) {
        for (String file : FILES) {
          statement.execute(sql(file));
        }
      }
      UserEventsTable.create(connection, schema, url);
    } catch (SQLException e) {
      if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
        throw e;
      }
      String user = connection.getMetaData().getUserName();
      throw new UserError(
          "PostgreSQL role " + user + " may not create Tally's missing table(s) " + String.join(", ", missing)
              + " at " + url + " (" + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ") + "): create them as "
              + "the database owner with psql -f deploy/sql/001_tally_tables.sql -f deploy/sql/002_user_events.sql "
              + "-f deploy/sql/010_pipeline_role.sql (see deploy/sql/README.md), or run once as a role that may "
              + "create tables there",
          e);
    }
  }

  /** Which of {@link #TABLES} do not exist in the connection's current schema. */
  static List<String> missingTables(Connection connection) throws SQLException {
    List<String> present = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT relname FROM pg_catalog.pg_class WHERE relnamespace = current_schema()::regnamespace"
                + " AND relkind IN ('r', 'p') AND relname = ANY (?)")) {
      query.setArray(1, connection.createArrayOf("text", TABLES.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          present.add(rows.getString(1));
        }
      }
    }
    List<String> missing = new ArrayList<>(TABLES);
    missing.removeAll(present);
    return missing;
  }

  /** The text of one file from the classpath. */
  static String sql(String file) {
    try (InputStream in = PostgresSchema.class.getResourceAsStream(RESOURCE_FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE_FOLDER + file + " is not on the classpath: build with Maven, which copies deploy/sql into "
                + "the pipelines jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE_FOLDER + file, e);
    }
  }
}
