package dev.tally.pipelines.io.postgres;

import dev.tally.pipelines.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import dev.tally.schema.EventSchema;
import java.util.List;

/**
 * Creates Tally's tables if they are missing: the fixed ones from the SQL files in {@code deploy/sql} (packaged
 * into the jar under {@code dev/tally/sql/}), and {@code user_events} from the event schema
 * ({@link UserEventsTable}). Every statement is re-runnable, so this runs before every pipeline run.
 */
public final class PostgresSchema {
  /** The files, in the order they are applied. Jar resources cannot be listed reliably: add new files here. */
  public static final List<String> FILES = List.of("001_tally_tables.sql");

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
      try (Statement statement = connection.createStatement()) {
        for (String file : FILES) {
          statement.execute(sql(file));
        }
      }
      UserEventsTable.create(connection, schema, url);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
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
