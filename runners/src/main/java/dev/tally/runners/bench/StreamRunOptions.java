package dev.tally.runners.bench;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.runners.compare.CliSupport;
import dev.tally.runners.compare.CompareException;
import dev.tally.runners.stack.StackSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The flags of {@code ./tally bench stream} and {@code ./tally bench soak} that say where and how the streaming
 * pipeline runs: Kafka, PostgreSQL, the pipeline JVM, start-up and drain limits, where logs go.
 */
final class StreamRunOptions {
  @Option(names = "--bootstrapServers", paramLabel = "HOST:PORT",
      description = "Kafka (default: the local stack's, 127.0.0.1:9092).")
  String bootstrapServers;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of each run's topic (default: the broker's default).")
  Integer partitions;

  @Option(names = "--jdbcUrl", paramLabel = "URL", defaultValue = "jdbc:postgresql://127.0.0.1:5432/tally",
      description = "PostgreSQL; each run creates and drops a schema of its own in it (default: ${DEFAULT-VALUE}).")
  String jdbcUrl;

  @Option(names = "--jdbcUser", paramLabel = "USER", defaultValue = "tally", description = "(default: ${DEFAULT-VALUE})")
  String jdbcUser;

  @Option(names = "--jdbcPasswordFile", paramLabel = "FILE",
      description = "The password's file (default: <stack dir>/postgres/password).")
  Path jdbcPasswordFile;

  @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "2g",
      description = "The pipeline JVM's heap (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--pipeline-flag", paramLabel = "FLAG",
      description = "An extra pipeline flag, e.g. --pipeline-flag=--jdbcBatchSize=5000 (repeatable).")
  List<String> pipelineFlags = new ArrayList<>();

  @Option(names = "--pipeline-java-option", paramLabel = "OPTION",
      description = "An extra JVM option of the pipeline, e.g. a JFR recording (repeatable).")
  List<String> javaOptions = new ArrayList<>();

  @Option(names = "--startup-timeout", paramLabel = "DURATION", defaultValue = "PT5M",
      description = "How long the pipeline may take to become ready (default: ${DEFAULT-VALUE}).")
  Duration startupTimeout;

  @Option(names = "--ready-latency", paramLabel = "DURATION", defaultValue = "PT5S",
      description = "Before measuring, warm-up events are sent, 5 at a time, one a second, until all 5 are stored"
          + " within this latency: the pipeline's start-up is over (default: ${DEFAULT-VALUE}).")
  Duration readyLatency;

  @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "PT10M",
      description = "How long the rest may take to be stored after sending; it also stops after 60 s without a new"
          + " row (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--keep", description = "Keep each run's topics, PostgreSQL schema and checkpoint.")
  boolean keep;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Logs and checkpoints (default: data/bench-<command>/<local time>).")
  Path workDir;

  @Option(names = "--stack-dir", paramLabel = "DIR", description = "The stack's folder (default: $TALLY_STACK_DIR, else <repo>/data/stack).")
  Path stackDir;

  /** The pipeline JVM's classpath; tests pass their own. */
  @Option(names = "--classpath", hidden = true)
  String classpath = System.getProperty("java.class.path");

  /** The repository (for the Java 17 flags in .mvn/jvm.config); ./tally sets -Dtally.home, tests pass it. */
  @Option(names = "--home", hidden = true)
  Path home;

  /** A usage error for the flags this class holds, or nothing. */
  Optional<String> problem() {
    if (partitions != null && partitions < 1) {
      return Optional.of("--partitions must be at least 1, got " + partitions);
    }
    if (startupTimeout.isNegative() || readyLatency.isNegative() || drainTimeout.isNegative()) {
      return Optional.of("--startup-timeout, --ready-latency and --drain-timeout must not be negative");
    }
    return Optional.empty();
  }

  /**
   * The settings of runs that send for {@code duration}, logging under {@code data/<workFolder>/<local time>} unless
   * --work-dir says otherwise.
   */
  StreamBenchmark.Settings settings(CommandLine commandLine, String workFolder, Duration duration, Duration warmUp,
      SustainedRule rule) throws IOException {
    StackSettings.Builder stack = StackSettings.builder();
    if (home != null) {
      stack.home(home);
    }
    if (stackDir != null) {
      stack.dir(stackDir);
    }
    StackSettings settings = stack.build();
    String kafka = bootstrapServers != null ? bootstrapServers.strip() : settings.kafkaBootstrapServers();
    Path passwordFile = jdbcPasswordFile != null ? jdbcPasswordFile : settings.dir().resolve("postgres/password");
    PostgresTarget server;
    try {
      server = PostgresTarget.withPasswordFile(jdbcUrl, jdbcUser, passwordFile);
    } catch (UserError e) {
      throw new CompareException(e.getMessage());
    }
    Path work = CliSupport.workDir(commandLine, workDir, settings.home().resolve("data").resolve(workFolder));
    return new StreamBenchmark.Settings(settings, classpath, heap, javaOptions, pipelineFlags, kafka,
        Optional.ofNullable(partitions), server, passwordFile.toAbsolutePath(), duration, warmUp, startupTimeout,
        readyLatency, drainTimeout, seed, rule, keep, work);
  }
}
