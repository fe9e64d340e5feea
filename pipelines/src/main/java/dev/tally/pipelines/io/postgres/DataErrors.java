package dev.tally.pipelines.io.postgres;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Tells a row PostgreSQL refuses as data from a failure of the database itself. SQLState class 22 (data exception:
 * value too long, numeric out of range, invalid byte sequence) and 23 (integrity violation: a CHECK, NOT NULL or
 * foreign key; the conflicts the sinks expect are absorbed by ON CONFLICT and never raised) fail again on every
 * retry, so the row is the problem. Everything else (class 08 connection failure, 40001/40P01 serialisation or
 * deadlock, 57P01 shutdown, 53 insufficient resources, ...) may pass: the batch is retried.
 */
final class DataErrors {
  private DataErrors() {}

  static boolean isDataError(SQLException e) {
    String state = sqlState(e);
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  /**
   * The server's own one-line message and SQLState, without the failing row's values (the dead letter holds
   * them) and without the statement text a batch error carries.
   */
  static String message(SQLException e) {
    PSQLException server = serverError(e);
    ServerErrorMessage details = server == null ? null : server.getServerErrorMessage();
    if (details != null && details.getMessage() != null) {
      return details.getMessage() + " (SQLState " + details.getSQLState() + ")";
    }
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    return text.replaceAll("\\s*\\R\\s*", " ") + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
  }

  /** The first SQLState in the chain: a JDBC batch error carries the server's error as its next exception. */
  private static String sqlState(SQLException e) {
    for (SQLException link = e; link != null; link = next(link)) {
      if (link.getSQLState() != null) {
        return link.getSQLState();
      }
    }
    return null;
  }

  private static PSQLException serverError(SQLException e) {
    for (SQLException link = e; link != null; link = next(link)) {
      if (link instanceof PSQLException server && server.getServerErrorMessage() != null) {
        return server;
      }
    }
    return null;
  }

  private static SQLException next(SQLException e) {
    if (e.getNextException() != null && e.getNextException() != e) {
      return e.getNextException();
    }
    return e.getCause() instanceof SQLException cause && cause != e ? cause : null;
  }
}
