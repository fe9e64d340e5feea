package dev.tally.pipelines.io.postgres;

import dev.tally.pipelines.UserError;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code user_events} table of an event schema: one column per schema field (text, bigint,
 * numeric(precision, scale) or timestamptz; NOT NULL when required), plus {@code tally_source}, the record's
 * file and line. The primary key is the event-id field, or {@code tally_source} for schemas without one, so
 * re-reading the same input stores nothing new. Field names are checked by the schema reader (lower-case
 * letters, digits, '_'), and quoted here, so a field may be called e.g. "timestamp".
 *
 * <p>One PostgreSQL schema holds one event schema's table: {@link #create} refuses a {@code user_events} whose
 * columns differ, naming the fix. Extra columns with a DEFAULT are allowed: the inserts name their columns and
 * such a column fills itself (the stream benchmark records each row's insert time that way).
 */
public final class UserEventsTable {
  static final String TABLE = "user_events";
  static final String SOURCE_COLUMN = "tally_source";

  private UserEventsTable() {}

  /** The CREATE TABLE statement and the column migration (both idempotent). */
  static List<String> ddl(EventSchema schema) {
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < schema.fieldCount(); i++) {
      FieldSpec field = schema.field(i);
      StringBuilder column = new StringBuilder(quote(field.name())).append(' ').append(sqlType(field));
      if (field.required()) {
        column.append(" NOT NULL");
      }
      if (i == schema.priceIndex()) {
        column.append(" CHECK (").append(quote(field.name())).append(" >= 0)");
      }
      columns.add(column.toString());
    }
    columns.add(quote(SOURCE_COLUMN) + " text" + (schema.hasEventId() ? "" : " NOT NULL"));
    columns.add("PRIMARY KEY (" + quote(keyColumn(schema)) + ")");
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + TABLE + " (\n  " + String.join(",\n  ", columns) + "\n)",
        // Tables made before tally_source existed get it (nullable: their rows predate it).
        "ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS " + quote(SOURCE_COLUMN) + " text");
  }

  /** Per-user timelines; created once the columns are known to be this schema's. */
  static String index(EventSchema schema) {
    String user = quote(schema.field(schema.userIndex()).name());
    String time = quote(schema.field(schema.eventTimeIndex()).name());
    return "CREATE INDEX IF NOT EXISTS user_events_user_time ON " + TABLE + " (" + user + ", " + time + ")";
  }

  /** The insert that skips a key already stored (a re-run, a retried bundle): the first stored copy stays. */
  static String insert(EventSchema schema) {
    List<String> columns = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (FieldSpec field : schema.fields()) {
      columns.add(quote(field.name()));
      marks.add("?");
    }
    columns.add(quote(SOURCE_COLUMN));
    marks.add("?");
    return "INSERT INTO " + TABLE + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", marks)
        + ") ON CONFLICT (" + quote(keyColumn(schema)) + ") DO NOTHING";
  }

  /**
   * Creates the table if missing, on {@code connection} (inside the caller's transaction), then checks that the
   * columns are this schema's.
   */
  static void create(Connection connection, EventSchema schema, String url) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : ddl(schema)) {
        statement.execute(sql);
      }
    }
    checkColumns(connection, schema, url);
    try (Statement statement = connection.createStatement()) {
      statement.execute(index(schema));
    }
  }

  /**
   * Checks that the existing table's columns are this schema's.
   *
   * @throws UserError naming the fix if they are not
   */
  static void checkColumns(Connection connection, EventSchema schema, String url) throws SQLException {
    List<String> expected = new ArrayList<>();
    for (FieldSpec field : schema.fields()) {
      expected.add(field.name() + " " + informationSchemaType(field));
    }
    expected.add(SOURCE_COLUMN + " text");
    List<String> actual = new ArrayList<>();
    List<String> compared = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT column_name, data_type, column_default IS NOT NULL FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
      query.setString(1, TABLE);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String column = rows.getString(1) + " " + rows.getString(2);
          actual.add(column);
          // A column Tally does not write that fills itself (e.g. the stream benchmark's bench_stored_at DEFAULT
          // clock_timestamp()) changes nothing for the inserts; Tally's own DDL gives no column a default, so
          // another event schema's table is still refused.
          if (expected.contains(column) || !rows.getBoolean(3)) {
            compared.add(column);
          }
        }
      }
    }
    if (!compared.containsAll(expected) || compared.size() != expected.size()) {
      throw new UserError(
          "PostgreSQL table " + TABLE + " at " + url + " has the columns (" + String.join(", ", actual)
              + "), not those of event schema '" + schema.name() + "' (" + String.join(", ", expected)
              + "): keep each event schema in its own PostgreSQL schema (create one and add ?currentSchema=NAME"
              + " to --jdbcUrl), or drop the old table");
    }
  }

  static String keyColumn(EventSchema schema) {
    return schema.hasEventId() ? schema.field(schema.eventIdIndex()).name() : SOURCE_COLUMN;
  }

  static String sqlType(FieldSpec field) {
    switch (field.type()) {
      case LONG:
        return "bigint";
      case DECIMAL:
        return "numeric(" + field.precision() + "," + field.scale() + ")";
      case TIMESTAMP:
        return "timestamptz";
      default:
        return "text";
    }
  }

  /** What information_schema.columns.data_type says for {@link #sqlType}. */
  private static String informationSchemaType(FieldSpec field) {
    switch (field.type()) {
      case LONG:
        return "bigint";
      case DECIMAL:
        return "numeric";
      case TIMESTAMP:
        return "timestamp with time zone";
      default:
        return "text";
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier + "\"";
  }
}
