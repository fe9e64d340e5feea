package dev.tally.runners.report;

import dev.tally.pipelines.io.postgres.PostgresTarget;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./tally dashboard}: a small live page over Tally's PostgreSQL tables, until Ctrl-C. */
@Command(
    name = "tally dashboard",
    mixinStandardHelpOptions = true,
    version = "tally dashboard 0.1.0",
    usageHelpAutoWidth = true,
    description = {
      "Serves a page that refreshes itself from PostgreSQL: events per event type in the latest windows, the top"
          + " users in them, and dead letters per minute. Charts are rendered by the server as SVG; the page loads"
          + " nothing from elsewhere. Works with the streaming and the batch path's tables.",
      "Example: ./tally dashboard --jdbcUrl=jdbc:postgresql://127.0.0.1:5432/tally"
          + " --jdbcPasswordFile=data/stack/postgres/password",
    })
public final class DashboardCli implements Callable<Integer> {
  static final String NAME = "tally dashboard";
  static final int TOP_USERS = 10;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(names = "--refresh", paramLabel = "SECONDS", defaultValue = "5", description = "How often the page refreshes (default: ${DEFAULT-VALUE}).")
  int refreshSeconds;

  @Option(names = "--windows", paramLabel = "N", defaultValue = "24", description = "How many of the latest windows to show (default: ${DEFAULT-VALUE}).")
  int windows;

  @Mixin JdbcFlags jdbc;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(CliErrors.execute(NAME, new DashboardCli(), args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (jdbc.url == null) {
      throw new ParameterException(spec.commandLine(), "--jdbcUrl is required: the PostgreSQL holding Tally's tables");
    }
    if (port < 0 || port > 65535 || refreshSeconds < 1 || windows < 1) {
      throw new ParameterException(
          spec.commandLine(), "--port must be 0-65535, --refresh and --windows at least 1");
    }
    PostgresTarget target = jdbc.target().orElseThrow();
    DashboardQueries queries = new DashboardQueries(target, windows, TOP_USERS);
    queries.snapshot(); // fails now, with one line, if the database or its tables are missing
    DashboardServer server = new DashboardServer(queries, windows, refreshSeconds, host, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    System.out.println("Dashboard of " + target.url() + ": http://" + host + ":" + server.port() + "/ (Ctrl-C stops it)");
    stopped.await();
    return 0;
  }
}
