package dev.tally.runners.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.util.PasswordUtil;

/**
 * The PostgreSQL server installed on this machine (Debian's cluster tools: {@code pg_lsclusters},
 * {@code pg_ctlcluster}), with a login role {@code tally} and a database {@code tally} it owns. The role's password
 * lives in {@code <dir>/postgres/password} (mode 600, generated once) and is set on every {@code up}, as a SCRAM
 * verifier computed here, so the password itself never reaches psql, the server or its logs. {@code down} stops the
 * server only if {@code up} started it.
 */
public final class Postgres {
  public static final String ROLE = "tally";
  public static final String DATABASE = "tally";
  private static final String PASSWORD_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final int PASSWORD_LENGTH = 24;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int LOGIN_TIMEOUT_SECONDS = 5;

  private final StackSettings settings;
  private final PrintStream out;

  /** One cluster as pg_lsclusters lists it, e.g. 15 main 5432 online. */
  public record Cluster(String version, String name, int port, String status) {
    public boolean online() {
      return status.startsWith("online");
    }

    /** {@code 15/main}. */
    public String id() {
      return version + "/" + name;
    }
  }

  public Postgres(StackSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** True if the cluster tools of a PostgreSQL server are installed. */
  public boolean installed() {
    return ExternalCommand.exists("pg_lsclusters") && ExternalCommand.exists("pg_ctlcluster");
  }

  /** What to do without a local server: install one, or point Tally at an existing one. */
  public static String notInstalledMessage() {
    return "no PostgreSQL server is installed here (pg_lsclusters and pg_ctlcluster not found). Install one"
        + " (Debian/Ubuntu: apt-get install postgresql), or point Tally at an existing server:"
        + " --jdbcUrl=jdbc:postgresql://HOST:5432/DB --jdbcUser=USER, with the password in the environment variable"
        + " TALLY_JDBC_PASSWORD or in a file named by --jdbcPasswordFile=FILE";
  }

  /**
   * Starts the cluster if it is down, creates role and database if missing, sets the role's password from the
   * password file, and checks that the role can log in over TCP.
   *
   * @return true if it started the server
   */
  public boolean up() {
    if (!installed()) {
      throw new StackException(notInstalledMessage());
    }
    Cluster cluster = cluster().orElseThrow(() -> new StackException(
        "PostgreSQL is installed but has no cluster: create one with pg_createcluster VERSION main --start,"
            + " then run ./tally stack up postgres again"));
    boolean started = false;
    if (cluster.online()) {
      out.printf("postgres: cluster %s already running on port %d%s%n", cluster.id(), cluster.port(),
          startedByStack() ? "" : " (not started by the stack: down leaves it running)");
    } else {
      Instant begin = Instant.now();
      ExternalCommand.Result result =
          ExternalCommand.run(List.of("pg_ctlcluster", cluster.version(), cluster.name(), "start"), "", COMMAND_TIMEOUT);
      if (!result.succeeded()) {
        throw new StackException("cannot start PostgreSQL cluster " + cluster.id() + " (pg_ctlcluster: " + result.output()
            + "); start it yourself, e.g. sudo pg_ctlcluster " + cluster.version() + " " + cluster.name() + " start");
      }
      writeStartedMarker(cluster);
      started = true;
      out.printf("postgres: started cluster %s on port %d in %.1f s%n", cluster.id(), cluster.port(),
          Duration.between(begin, Instant.now()).toMillis() / 1000.0);
    }
    char[] password = readOrCreatePassword();
    try {
      ensureRoleAndDatabase(cluster, password);
      awaitLogin(cluster, password);
    } finally {
      Arrays.fill(password, '\0');
    }
    out.println(status().describe());
    return started;
  }

  /**
   * Stops the cluster if {@code up} started it; otherwise leaves it running.
   *
   * @return true if it stopped the server
   */
  public boolean down() {
    Optional<String> startedCluster = startedMarker();
    if (startedCluster.isEmpty()) {
      out.println("postgres: left running (the stack did not start it)");
      return false;
    }
    String[] id = startedCluster.get().split("/");
    ExternalCommand.Result result =
        ExternalCommand.run(List.of("pg_ctlcluster", id[0], id[1], "stop"), "", COMMAND_TIMEOUT);
    if (!result.succeeded() && installed() && cluster().map(Cluster::online).orElse(false)) {
      throw new StackException("cannot stop PostgreSQL cluster " + startedCluster.get() + ": " + result.output());
    }
    try {
      Files.deleteIfExists(startedMarkerFile());
    } catch (IOException e) {
      throw new StackException("cannot delete " + startedMarkerFile() + ": " + e.getMessage(), e);
    }
    out.println("postgres: stopped cluster " + startedCluster.get());
    return true;
  }

  public ServiceStatus status() {
    List<String> details = new ArrayList<>();
    if (!installed()) {
      details.add(notInstalledMessage());
      return new ServiceStatus(StackService.POSTGRES, ServiceStatus.State.UNAVAILABLE, List.of(), details);
    }
    Optional<Cluster> cluster = cluster();
    if (cluster.isEmpty()) {
      details.add("no cluster: create one with pg_createcluster VERSION main --start");
      return new ServiceStatus(StackService.POSTGRES, ServiceStatus.State.UNAVAILABLE, List.of(), details);
    }
    Cluster found = cluster.get();
    details.add(String.format("cluster   %s on port %d, %s, %s", found.id(), found.port(), found.status(),
        startedByStack() ? "started by the stack" : "not started by the stack (down leaves it running)"));
    details.add("jdbc      " + jdbcUrl(found) + "  user " + ROLE + ", password in " + passwordFile());
    if (!found.online()) {
      return new ServiceStatus(StackService.POSTGRES, ServiceStatus.State.STOPPED, List.of(), details);
    }
    Optional<String> loginProblem = Files.isReadable(passwordFile()) ? loginProblem(found) : Optional.of("no password file yet: run ./tally stack up postgres");
    loginProblem.ifPresent(problem -> details.add("cannot log in as " + ROLE + ": " + problem));
    return new ServiceStatus(
        StackService.POSTGRES,
        loginProblem.isEmpty() ? ServiceStatus.State.RUNNING : ServiceStatus.State.PARTIAL,
        List.of(),
        details);
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/tally} of the installed cluster (port 5432 if none is found). */
  public String jdbcUrl() {
    return jdbcUrl(installed() ? cluster().orElse(null) : null);
  }

  public String user() {
    return ROLE;
  }

  /** {@code <dir>/postgres/password}: the role's password, one line, mode 600. */
  public Path passwordFile() {
    return settings.dir().resolve("postgres/password");
  }

  /** The cluster Tally uses: the first online one pg_lsclusters lists, else the first one. */
  public Optional<Cluster> cluster() {
    ExternalCommand.Result result = ExternalCommand.run(List.of("pg_lsclusters", "--no-header"), "", COMMAND_TIMEOUT);
    if (!result.succeeded()) {
      throw new StackException("pg_lsclusters failed: " + result.output());
    }
    List<Cluster> clusters = new ArrayList<>();
    for (String line : result.output().split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 4 && fields[2].matches("[0-9]+")) {
        clusters.add(new Cluster(fields[0], fields[1], Integer.parseInt(fields[2]), fields[3]));
      }
    }
    return clusters.stream().min(Comparator.comparing((Cluster cluster) -> !cluster.online()));
  }

  private static String jdbcUrl(Cluster cluster) {
    return "jdbc:postgresql://" + StackSettings.HOST + ":" + (cluster == null ? 5432 : cluster.port()) + "/" + DATABASE;
  }

  /** Role and database if missing, and the password: SQL on psql's stdin, run as the postgres superuser. */
  private void ensureRoleAndDatabase(Cluster cluster, char[] password) {
    // A copy: pgjdbc wipes the array it is given.
    String verifier = PasswordUtil.encodeScramSha256(password.clone());
    String sql =
        "SELECT 'CREATE ROLE " + ROLE + " LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "')\\gexec\n"
            // CREATEDB and CREATEROLE: the local stack's role administers its own server, as deploy/sql's owner
            // does in a deployment; the tests make throw-away databases and the least-privilege pipeline role.
            + "ALTER ROLE " + ROLE + " WITH LOGIN CREATEDB CREATEROLE PASSWORD '" + verifier + "';\n"
            + "SELECT 'CREATE DATABASE " + DATABASE + " OWNER " + ROLE + "'"
            + " WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '" + DATABASE + "')\\gexec\n";
    String psql = "psql -X -q -v ON_ERROR_STOP=1 -p " + cluster.port() + " -d postgres";
    List<String> command;
    String user = System.getProperty("user.name");
    if ("root".equals(user)) {
      command = List.of("su", "postgres", "-c", psql);
    } else if ("postgres".equals(user)) {
      command = List.of("sh", "-c", psql);
    } else {
      command = List.of("sudo", "-n", "-u", "postgres", "sh", "-c", psql);
    }
    ExternalCommand.Result result = ExternalCommand.run(command, sql, COMMAND_TIMEOUT);
    if (!result.succeeded()) {
      throw new StackException(
          "cannot create role and database '" + ROLE + "' as the postgres superuser (" + String.join(" ", command.subList(0, command.size() - 1))
              + " psql: " + result.output() + "); run ./tally stack up postgres as root or as a user allowed to"
              + " sudo -u postgres");
    }
  }

  /** Waits while the server is starting; a refused login (wrong password, pg_hba.conf) fails at once. */
  private void awaitLogin(Cluster cluster, char[] password) {
    Instant deadline = Instant.now().plus(settings.readyTimeout());
    while (true) {
      Optional<SQLException> problem = loginError(cluster, password);
      if (problem.isEmpty()) {
        return;
      }
      if (!isStarting(problem.get()) || Instant.now().isAfter(deadline)) {
        throw new StackException(
            "role " + ROLE + " cannot log in to " + jdbcUrl(cluster) + " with the password in " + passwordFile()
                + ": " + problem.get().getMessage() + ". Check that the server listens on " + StackSettings.HOST
                + " and that pg_hba.conf allows password (scram-sha-256 or md5) logins from it");
      }
      ManagedProcess.sleep(POLL);
    }
  }

  /** Connection refused (class 08) or "the database system is starting up" (57P03): worth waiting for. */
  private static boolean isStarting(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.equals("57P03"));
  }

  private Optional<String> loginProblem(Cluster cluster) {
    char[] password = readPassword();
    try {
      return loginError(cluster, password).map(SQLException::getMessage);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static Optional<SQLException> loginError(Cluster cluster, char[] password) {
    Properties properties = new Properties();
    properties.setProperty("user", ROLE);
    properties.setProperty("password", new String(password));
    properties.setProperty("connectTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
    properties.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
    try (Connection connection = DriverManager.getConnection(jdbcUrl(cluster), properties)) {
      return connection.isValid(LOGIN_TIMEOUT_SECONDS)
          ? Optional.empty()
          : Optional.of(new SQLException("the connection is not valid", "08000"));
    } catch (SQLException e) {
      return Optional.of(e);
    }
  }

  /** Generates a password only if the file is missing: other tools may already use the one in it. */
  private char[] readOrCreatePassword() {
    Path file = passwordFile();
    if (!Files.exists(file)) {
      SecureRandom random = new SecureRandom();
      StringBuilder password = new StringBuilder(PASSWORD_LENGTH + 1);
      for (int i = 0; i < PASSWORD_LENGTH; i++) {
        password.append(PASSWORD_CHARS.charAt(random.nextInt(PASSWORD_CHARS.length())));
      }
      try {
        Files.createDirectories(file.getParent());
        // Created with mode 600: the password is never readable by others, not even for a moment.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password.append('\n'), StandardCharsets.UTF_8);
        out.println("postgres: generated a password for role " + ROLE + " in " + file);
      } catch (FileAlreadyExistsException e) {
        // Another up wrote it first: use that one.
      } catch (IOException e) {
        throw new StackException("cannot write the password file " + file + ": " + e.getMessage(), e);
      }
    }
    return readPassword();
  }

  private char[] readPassword() {
    Path file = passwordFile();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot read the password file " + file + ": " + e.getMessage(), e);
    }
    String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (password.isEmpty() || password.contains("\n")) {
      throw new StackException("the password file " + file + " must hold one non-empty line");
    }
    return password.toCharArray();
  }

  private boolean startedByStack() {
    return startedMarker().isPresent();
  }

  private Path startedMarkerFile() {
    return settings.dir().resolve("postgres/started-by-stack");
  }

  /** The cluster {@code up} started ({@code 15/main}), if it did. */
  private Optional<String> startedMarker() {
    try {
      return Files.exists(startedMarkerFile())
          ? Optional.of(Files.readString(startedMarkerFile(), StandardCharsets.UTF_8).strip())
          : Optional.empty();
    } catch (IOException e) {
      throw new StackException("cannot read " + startedMarkerFile() + ": " + e.getMessage(), e);
    }
  }

  private void writeStartedMarker(Cluster cluster) {
    try {
      Files.createDirectories(startedMarkerFile().getParent());
      Files.writeString(startedMarkerFile(), cluster.id() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot write " + startedMarkerFile() + ": " + e.getMessage(), e);
    }
  }
}
