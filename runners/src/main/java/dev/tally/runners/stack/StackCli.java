package dev.tally.runners.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./tally stack up|down|status [spark|hdfs|postgres|kafka...]}: real services on 127.0.0.1 as background processes,
 * all state in one folder. Exit codes: 0 done, 1 a service failed (the message names the fix), 2 bad usage.
 */
@Command(
    name = "tally stack",
    mixinStandardHelpOptions = true,
    version = "tally stack 0.1.0",
    usageHelpAutoWidth = true,
    subcommands = {StackCli.Up.class, StackCli.Down.class, StackCli.Status.class},
    description = {
      "Runs a local stack on 127.0.0.1: a Spark standalone cluster (Master + Workers), HDFS (NameNode + DataNode),"
          + " PostgreSQL (the server installed here, with role and database 'tally') and a Kafka broker in KRaft mode"
          + " (topics events and events-dlq). Processes run in the background and survive the terminal; pid files,"
          + " logs and data live in one folder (--dir).",
      "Without service names, a command applies to all of them.",
    })
public final class StackCli implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line: friendly errors, exit codes 0/1/2. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new StackCli());
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          if (exception instanceof StackException) {
            cmd.getErr().println("tally stack: " + exception.getMessage());
            return EXIT_FAILURE;
          }
          // A bad service name (checked when the command runs) or a bad option value (checked by the settings).
          if (exception instanceof ParameterException || exception instanceof IllegalArgumentException) {
            cmd.getErr().println("tally stack: " + exception.getMessage());
            return EXIT_USAGE;
          }
          throw exception;
        });
    return commandLine;
  }

  /** {@code ./tally stack} alone: the usage. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  /** Options every stack command shares: the folder and the services. */
  static final class Common {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "The stack's folder: pid files, logs, data, client configuration (default: $TALLY_STACK_DIR, else"
            + " <repo>/data/stack).")
    Path dir;

    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "spark, hdfs, postgres, kafka (default: all).")
    List<String> services = new ArrayList<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The named services (empty: all); an unknown name is a usage error naming the valid ones. */
    Set<StackService> chosen() {
      Set<StackService> chosen = EnumSet.noneOf(StackService.class);
      for (String name : services) {
        chosen.add(
            Arrays.stream(StackService.values())
                .filter(service -> service.cliName().equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new ParameterException(
                    command.commandLine(), "unknown service '" + name + "': expected spark, hdfs, postgres or kafka")));
      }
      return chosen;
    }

    StackSettings.Builder settings() {
      StackSettings.Builder builder = StackSettings.builder();
      if (dir != null) {
        builder.dir(dir);
      }
      return builder;
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = "Starts the services that are not running and waits until each is ready; prints their URLs."
          + " Running services are left as they are.")
  static final class Up implements Callable<Integer> {
    @Mixin Common common = new Common();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "Spark Workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--worker-cores", paramLabel = "N", defaultValue = "2", description = "Cores per Worker (default: ${DEFAULT-VALUE}).")
    int workerCores;

    @Option(names = "--worker-memory", paramLabel = "SIZE", defaultValue = "6g", description = "Executor memory per Worker (default: ${DEFAULT-VALUE}).")
    String workerMemory;

    @Option(names = "--spark-port", paramLabel = "PORT", description = "Spark Master port (default: $TALLY_SPARK_PORT, else 7077).")
    Integer sparkPort;

    @Option(names = "--spark-ui-port", paramLabel = "PORT", description = "Spark Master web UI (default: $TALLY_SPARK_UI_PORT, else 8080).")
    Integer sparkUiPort;

    @Option(names = "--worker-ui-port", paramLabel = "PORT", description = "First Worker's web UI; the next ones follow (default: $TALLY_WORKER_UI_PORT, else 8081).")
    Integer workerUiPort;

    @Option(names = "--hdfs-port", paramLabel = "PORT", description = "HDFS NameNode port, fs.defaultFS (default: $TALLY_HDFS_PORT, else 8020).")
    Integer hdfsPort;

    @Option(names = "--hdfs-ui-port", paramLabel = "PORT", description = "HDFS NameNode web UI (default: $TALLY_HDFS_UI_PORT, else 9870).")
    Integer hdfsUiPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092", description = "Kafka broker port, bootstrap.servers (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT", defaultValue = "9093", description = "The broker's KRaft controller port (default: ${DEFAULT-VALUE}).")
    int kafkaControllerPort;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3", description = "Partitions of the topics events and events-dlq when up creates them; existing topics are kept as they are (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90", description = "How long each service may take to become ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
      Set<StackService> services = common.chosen();
      StackSettings.Builder builder =
          common.settings()
              .workers(workers)
              .workerCores(workerCores)
              .workerMemory(workerMemory)
              .kafkaPort(kafkaPort)
              .kafkaControllerPort(kafkaControllerPort)
              .kafkaPartitions(partitions)
              .readyTimeout(Duration.ofSeconds(timeoutSeconds));
      // A flag wins over the TALLY_*_PORT variables the builder starts from.
      if (sparkPort != null) {
        builder.sparkMasterPort(sparkPort);
      }
      if (sparkUiPort != null) {
        builder.sparkMasterUiPort(sparkUiPort);
      }
      if (workerUiPort != null) {
        builder.workerUiPort(workerUiPort);
      }
      if (hdfsPort != null) {
        builder.hdfsPort(hdfsPort);
      }
      if (hdfsUiPort != null) {
        builder.hdfsUiPort(hdfsUiPort);
      }
      StackSettings settings = builder.build();
      PrintStream out = System.out;
      out.println("tally stack: folder " + settings.dir());
      new LocalStack(settings, out).up(services);
      return EXIT_OK;
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = "Stops what up started, Spark executors included (SIGTERM, then SIGKILL). PostgreSQL is stopped"
          + " only if up started it. Data stays.")
  static final class Down implements Callable<Integer> {
    @Mixin Common common = new Common();

    @Override
    public Integer call() {
      Set<StackService> services = common.chosen();
      new LocalStack(common.settings().build(), System.out).down(services);
      return EXIT_OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      usageHelpAutoWidth = true,
      description = "Shows what runs: pids, URLs, Spark Workers alive, where logs and data are.")
  static final class Status implements Callable<Integer> {
    @Mixin Common common = new Common();

    @Override
    public Integer call() {
      Set<StackService> services = common.chosen();
      StackSettings settings = common.settings().build();
      System.out.println("tally stack: folder " + settings.dir());
      new LocalStack(settings, System.out).status(services).forEach(status -> System.out.println(status.describe()));
      return EXIT_OK;
    }
  }
}
