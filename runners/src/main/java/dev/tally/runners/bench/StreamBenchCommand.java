package dev.tally.runners.bench;

import dev.tally.runners.compare.CliSupport;
import dev.tally.runners.compare.Tables;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin StreamRunOptions run = new StreamRunOptions();

  @Override
  public Integer call() throws Exception {
    RateSteps steps = steps();
    PrintWriter out = spec.commandLine().getOut();
    StreamBenchmark.Settings settings =
        run.settings(spec.commandLine(), "bench-stream", duration, warmUp, new SustainedRule(0.95, maxLag));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss", Locale.ROOT));
    StreamBenchmark benchmark = new StreamBenchmark(settings, out, stamp);

    String startLoad = LoadAverage.now();
    out.printf(Locale.ROOT, "Stream benchmark: Kafka %s -> Spark local[2] streaming (1000 ms batches) -> PostgreSQL %s;"
        + " %d cores, load average %s at start. Logs in %s%n", settings.bootstrapServers(), run.jdbcUrl,
        Runtime.getRuntime().availableProcessors(), startLoad, settings.workDir());
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
    run.problem().ifPresent(problem -> {
      throw new ParameterException(spec.commandLine(), problem);
    });
    if (findMax) {
      if (maxRate < rate || refinements < 0) {
        throw new ParameterException(spec.commandLine(), "--max-rate must be at least --rate, --refinements >= 0");
      }
      return RateSteps.findMax(rate, maxRate, refinements);
    }
    return RateSteps.of(asked);
  }
}
