package dev.tally.pipelines.io.postgres;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.options.JdbcOptions;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL database the sink writes to, and as whom. The password is read once, on the driver, from
 * {@code --jdbcPasswordFile} or {@code TALLY_JDBC_PASSWORD}; it reaches the workers inside the serialised write
 * transforms, never through PipelineOptions, and {@link #toString()} and error messages hide it.
 *
 * @param url the JDBC URL as the user gave it (it never carries a password: {@link #fromOptions} refuses that)
 * @param user the PostgreSQL role
 * @param password its password
 */
public record PostgresTarget(String url, String user, String password) implements Serializable {
  private static final String URL_PREFIX = "jdbc:postgresql:";
  // Lets the driver send a JDBC batch as multi-row INSERTs: several times faster than one INSERT per row.
  private static final String BATCHED_INSERTS = "reWriteBatchedInserts";
  private static final Pattern BATCHED_INSERTS_PARAMETER = Pattern.compile("[?&]" + BATCHED_INSERTS + "=");
  private static final String HIDDEN = "<hidden>";
  private static final String CONNECT_FIX =
      "start it with ./tally stack up postgres, or check --jdbcUrl/--jdbcUser and the password";

  public PostgresTarget {
    if (url == null || user == null || password == null) {
      throw new IllegalArgumentException("url, user and password must all be set");
    }
  }

  /** The database {@code --jdbcUrl} names, or empty when it is unset; the password from the process environment. */
  public static Optional<PostgresTarget> fromOptions(JdbcOptions options) {
    return fromOptions(options, System.getenv());
  }

  /**
   * The database {@code --jdbcUrl} names, or empty when it is unset.
   *
   * @param environment where {@code TALLY_JDBC_PASSWORD} is looked up (tests pass their own)
   * @throws UserError if the URL is not a PostgreSQL URL or carries a password, or no password is available
   */
  public static Optional<PostgresTarget> fromOptions(JdbcOptions options, Map<String, String> environment) {
    String url = options.getJdbcUrl();
    if (url == null || url.isEmpty()) {
      return Optional.empty();
    }
    checkUrl(url);
    String user = options.getJdbcUser();
    if (user == null || user.isEmpty()) {
      throw new UserError("--jdbcUser is empty: name the PostgreSQL user, e.g. --jdbcUser=tally");
    }
    return Optional.of(new PostgresTarget(url, user, password(options.getJdbcPasswordFile(), user, environment)));
  }

  /**
   * The database at {@code url}, as {@code user}, with the password read from {@code passwordFile} the way
   * {@code --jdbcPasswordFile} is read.
   *
   * @throws UserError if the URL is not a PostgreSQL URL or the file cannot be read or is empty
   */
  public static PostgresTarget withPasswordFile(String url, String user, Path passwordFile) {
    checkUrl(url);
    return new PostgresTarget(url, user, password(passwordFile.toString(), user, Map.of()));
  }

  private static void checkUrl(String url) {
    if (!url.startsWith(URL_PREFIX)) {
      throw new UserError(
          "--jdbcUrl must start with " + URL_PREFIX + "//, e.g. jdbc:postgresql://127.0.0.1:5432/tally");
    }
    int query = url.indexOf('?');
    if (query >= 0) {
      for (String parameter : url.substring(query + 1).split("&")) {
        String name = parameter.split("=", 2)[0].toLowerCase(Locale.ROOT);
        if (name.contains("password")) {
          // Not echoing the URL: it holds the secret.
          throw new UserError(
              "--jdbcUrl must not carry a password (it would show in logs and the pipeline options): remove "
                  + "the " + name + " parameter and set " + JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE
                  + " or --jdbcPasswordFile=<file holding the password>");
        }
      }
    }
    if (Driver.parseURL(url, new Properties()) == null) {
      throw new UserError(
          "--jdbcUrl=" + url + " is not a valid PostgreSQL JDBC URL: write e.g. "
              + "jdbc:postgresql://127.0.0.1:5432/tally");
    }
  }

  /** The password file, if given, wins over the environment variable. */
  private static String password(String passwordFile, String user, Map<String, String> environment) {
    if (passwordFile != null && !passwordFile.isEmpty()) {
      String text;
      try {
        text = Files.readString(Path.of(passwordFile));
      } catch (IOException | RuntimeException e) {
        throw new UserError(
            "cannot read --jdbcPasswordFile=" + passwordFile + " (" + e.getClass().getSimpleName()
                + "): point it at a readable file holding the password",
            e);
      }
      // Files written by echo or an editor end with a line break that is not part of the password.
      String password = text.replaceFirst("[\r\n]+$", "");
      if (password.isEmpty()) {
        throw new UserError("--jdbcPasswordFile=" + passwordFile + " is empty: write the password into it");
      }
      return password;
    }
    String password = environment.get(JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE);
    if (password == null || password.isEmpty()) {
      throw new UserError(
          "no PostgreSQL password for user " + user + ": set " + JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE
              + " or --jdbcPasswordFile=<file holding the password>");
    }
    return password;
  }

  /** The URL the connections use: {@link #url} with {@code reWriteBatchedInserts=true} unless it sets it. */
  public String connectionUrl() {
    if (BATCHED_INSERTS_PARAMETER.matcher(url).find()) {
      return url;
    }
    String separator = url.endsWith("?") || url.endsWith("&") ? "" : url.contains("?") ? "&" : "?";
    return url + separator + BATCHED_INSERTS + "=true";
  }

  /** A new, unpooled data source; cheap to create, each {@code getConnection} opens a connection. */
  public DataSource dataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(connectionUrl());
    source.setUser(user);
    source.setPassword(password);
    source.setApplicationName("tally");
    return source;
  }

  /**
   * A data source whose JDBC batches report one update count per row (no multi-row rewriting), so a sink can tell
   * which rows an {@code INSERT ... ON CONFLICT DO NOTHING} really inserted.
   */
  public DataSource dataSourceWithRowCounts() {
    PGSimpleDataSource source = (PGSimpleDataSource) dataSource();
    source.setReWriteBatchedInserts(false);
    return source;
  }

  /** Beam's JdbcIO write of {@code statement} into this database, {@code batchSize} rows per JDBC batch. */
  public <T> JdbcIO.Write<T> write(String statement, JdbcIO.PreparedStatementSetter<T> setter, int batchSize) {
    return JdbcIO.<T>write()
        .withDataSourceProviderFn(new PostgresDataSourceFn(this))
        .withStatement(statement)
        .withPreparedStatementSetter(setter)
        .withBatchSize(batchSize);
  }

  /**
   * Opens a connection for the driver's own statements.
   *
   * @throws UserError naming the fix when PostgreSQL is unreachable or refuses the login
   */
  public Connection connect() {
    try {
      return dataSource().getConnection();
    } catch (SQLException e) {
      throw new UserError(
          "cannot connect to PostgreSQL at " + url + " as " + user + ": " + describe(e) + "; " + CONNECT_FIX,
          causeWithoutPassword(e));
    }
  }

  /** One line of the driver's message for {@code e}, with the password (should it ever occur) hidden. */
  String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return hidePassword(message.strip().replaceAll("\\s*\\R\\s*", " "));
  }

  /** {@code text} with every occurrence of the password replaced. */
  String hidePassword(String text) {
    return password.isEmpty() ? text : text.replace(password, HIDDEN);
  }

  /** Keeps the cause for debugging unless its message would reveal the password. */
  private Throwable causeWithoutPassword(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    return message.equals(hidePassword(message)) ? cause : null;
  }

  @Override
  public String toString() {
    return "PostgresTarget[url=" + url + ", user=" + user + ", password=" + HIDDEN + "]";
  }
}
