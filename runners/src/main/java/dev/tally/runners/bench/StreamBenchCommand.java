package dev.tally.runners.bench;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.runners.compare.CliSupport;
import dev.tally.runners.compare.CompareException;
import dev.tally.runners.compare.Tables;
import dev.tally.runners.stack.StackSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./tally bench stream}: Kafka -> the streaming pipeline on Spark local[2] -> PostgreSQL, at given rates. */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Sends valid events to Kafka at --rate for --duration (event time = the moment of sending) while the streaming"
          + " pipeline runs on Spark local[2] (streaming, 1000 ms batches) in a JVM of its own, as ./tally stream"
          + " runs it, into PostgreSQL. Each run gets a fresh topic, consumer group and PostgreSQL schema (deleted"
          + " afterwards unless --keep). Prints the sent and stored events/s and the event-to-row latency p50/p95/p99"
          + " over the steady part, the lag (sent - stored) over time, and whether the rate was sustained; with"
          + " --rates or --find-max, one run per rate and the highest sustained rate. Uses the running Kafka and"
          + " PostgreSQL (./tally stack up kafka; PostgreSQL as for ./tally stream); starts neither.",
      "Exit status 1 if any run did not store exactly the events it sent.",
      "Example: ./tally bench stream --rate=2000 --duration=PT2M",
    })
final class StreamBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "2000",
      description = "Events per second (default: ${DEFAULT-VALUE}); with --find-max the first rate tried.")
  double rate;

  @Option(names = "--rates", paramLabel = "LIST", split = ",",
      description = "One run per rate, in order, e.g. 2000,5000,10000,20000.")
  List<Double> rates;

  @Option(names = "--find-max", description = "Double the rate from --rate until a run is not sustained, then try"
      + " the midpoint between the highest sustained and the lowest unsustained rate --refinements times.")
  boolean findMax;

  @Option(names = "--max-rate", paramLabel = "EVENTS_PER_S", defaultValue = "100000",
      description = "--find-max never goes above this (default: ${DEFAULT-VALUE}).")
  double maxRate;

  @Option(names = "--refinements", paramLabel = "N", defaultValue = "1",
      description = "--find-max midpoint runs (default: ${DEFAULT-VALUE}).")
  int refinements;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT2M",
      description = "How long each run sends, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "PT10S",
      description = "First part of the sending left out of the steady rates and latencies; at most half of"
          + " --duration (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(names = "--max-lag", paramLabel = "DURATION", defaultValue = "PT5S",
      description = "Sustained only if, when sending stops, the events not yet stored are at most this much input"
          + " at the rate, and rows were stored at >= 95% of the sent rate over the steady part (default:"
          + " ${DEFAULT-VALUE}).")
  Duration maxLag;

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

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Logs and checkpoints (default: data/bench-stream/<local time>).")
  Path workDir;

  @Option(names = "--stack-dir", paramLabel = "DIR", description = "The stack's folder (default: $TALLY_STACK_DIR, else <repo>/data/stack).")
  Path stackDir;

  /** The pipeline JVM's classpath; tests pass their own. */
  @Option(names = "--classpath", hidden = true)
  String classpath = System.getProperty("java.class.path");

  /** The repository (for the Java 17 flags in .mvn/jvm.config); ./tally sets -Dtally.home, tests pass it. */
  @Option(names = "--home", hidden = true)
  Path home;

  @Override
  public Integer call() throws Exception {
    RateSteps steps = steps();
    PrintWriter out = spec.commandLine().getOut();
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
    Path work = CliSupport.workDir(spec.commandLine(), workDir, settings.home().resolve("data/bench-stream"));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss", Locale.ROOT));
    StreamBenchmark benchmark = new StreamBenchmark(
        new StreamBenchmark.Settings(settings, classpath, heap, javaOptions, pipelineFlags, kafka,
            Optional.ofNullable(partitions), server, passwordFile.toAbsolutePath(), duration, warmUp, startupTimeout,
            readyLatency, drainTimeout, seed, new SustainedRule(0.95, maxLag), keep, work),
        out, stamp);

    String startLoad = LoadAverage.now();
    out.printf(Locale.ROOT, "Stream benchmark: Kafka %s -> Spark local[2] streaming (1000 ms batches) -> PostgreSQL %s;"
        + " %d cores, load average %s at start. Logs in %s%n", kafka, jdbcUrl,
        Runtime.getRuntime().availableProcessors(), startLoad, work);
    out.flush();
    List<StreamRunResult> results = new ArrayList<>();
    for (OptionalDouble next = steps.next(); next.isPresent(); next = steps.next()) {
      StreamRunResult result = benchmark.run(results.size() + 1, next.getAsDouble());
      results.add(result);
      if (result.failure() != null) {
        out.println("  FAILED: " + result.failure());
      }
      steps.record(next.getAsDouble(), result.verdict().sustained());
    }
    out.println();
    out.print(table(results));
    out.printf("Load average: %s at start, %s at the end (%d cores)%n", startLoad, LoadAverage.now(),
        Runtime.getRuntime().availableProcessors());
    if (results.size() > 1) {
      OptionalDouble best = steps.highestSustained();
      out.println(best.isPresent()
          ? String.format(Locale.ROOT, "Highest sustained rate: %,.0f events/s", best.getAsDouble())
          : "No rate was sustained.");
    }
    boolean exact = results.stream().allMatch(StreamRunResult::allStored);
    out.println(exact ? "Every run stored exactly the events it sent."
        : "NOT every run stored exactly the events it sent (see stored / sent).");
    out.flush();
    return exact ? CliSupport.EXIT_OK : CliSupport.EXIT_FAILED;
  }

  /** The runs as a table: numbers right-aligned. */
  static String table(List<StreamRunResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(StreamRunResult.HEADER);
    results.forEach(result -> rows.add(result.row()));
    return Tables.format(rows, IntStream.range(0, StreamRunResult.HEADER.length - 2).toArray());
  }

  /** The rates to run, from the flags; a bad combination is a usage error. */
  RateSteps steps() {
    if (rates != null && findMax) {
      throw new ParameterException(spec.commandLine(), "give --rates or --find-max, not both");
    }
    List<Double> asked = rates != null ? rates : List.of(rate);
    for (double value : asked) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new ParameterException(spec.commandLine(), "rates must be above 0 events/s, got " + value);
      }
    }
    if (duration.isNegative() || duration.toSeconds() < 2) {
      throw new ParameterException(spec.commandLine(), "--duration must be at least PT2S, got " + duration);
    }
    if (warmUp.isNegative() || maxLag.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--warmup and --max-lag must not be negative");
    }
    if (partitions != null && partitions < 1) {
      throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
    }
    if (findMax) {
      if (maxRate < rate || refinements < 0) {
        throw new ParameterException(spec.commandLine(), "--max-rate must be at least --rate, --refinements >= 0");
      }
      return RateSteps.findMax(rate, maxRate, refinements);
    }
    return RateSteps.of(asked);
  }
}
