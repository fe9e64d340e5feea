package dev.tally.runners.bench;

import dev.tally.runners.compare.CliSupport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./tally bench soak}: the streaming path at a steady rate for a long time; lag, heap and rows over time. */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Sends valid events to a fresh Kafka topic at a steady --rate for --duration while the streaming pipeline runs"
          + " on Spark local[2] (streaming, 1000 ms batches) in a JVM of its own, as ./tally stream runs it, into a"
          + " fresh PostgreSQL schema (both deleted afterwards unless --keep). Every --sample it prints one row:"
          + " elapsed time, events produced, records stored (user_events + dead_letters), lag (produced - stored),"
          + " the pipeline JVM's heap used / committed (jstat -gc) and the load average; after producing, it drains"
          + " until every event is stored. Then a summary: did the lag or the heap grow from the first third of the"
          + " producing samples to the last? Uses the running Kafka and PostgreSQL; starts neither.",
      "Exit status 0 if every produced event was stored within --drain-timeout after producing stopped, else 1 with"
          + " the reason.",
      "Example: ./tally bench soak --rate=500 --duration=PT10M",
    })
final class SoakCommand implements Callable<Integer> {
  /** The lag grew only if its last-third mean is above 1.5x the first's ... */
  static final double LAG_RATIO = 1.5;
  /** ... and above it by more than this many seconds of input at the rate. */
  static final double LAG_MARGIN_SECONDS = 5;
  /** The heap grew only if its last-third trough is above 1.25x the first's ... */
  static final double HEAP_RATIO = 1.25;
  /** ... and above it by more than this many MB. */
  static final double HEAP_MARGIN_MB = 64;

  @Spec CommandSpec spec;

  @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "500",
      description = "Events per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "PT10M",
      description = "How long to produce, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--sample", paramLabel = "DURATION", defaultValue = "PT30S",
      description = "One row every this long (default: ${DEFAULT-VALUE}).")
  Duration sample;

  @Mixin StreamRunOptions run = new StreamRunOptions();

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    // A soak has no steady-part window or sustained rule: it reports over time instead.
    StreamBenchmark.Settings settings =
        run.settings(spec.commandLine(), "bench-soak", duration, Duration.ZERO, new SustainedRule(0.95, Duration.ZERO));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss", Locale.ROOT));
    String name = "soak_" + stamp;
    String startLoad = LoadAverage.now();
    out.printf(Locale.ROOT, "Soak: %,.0f events/s for %s, a row every %s; Kafka %s -> Spark local[2] streaming (1000 ms"
        + " batches, pipeline -Xmx%s) -> PostgreSQL %s; topic and schema %s; %d cores, load average %s at start."
        + " Logs in %s%n", rate, duration, sample, settings.bootstrapServers(), settings.heap(), run.jdbcUrl, name,
        Runtime.getRuntime().availableProcessors(), startLoad, settings.workDir());
    out.flush();
    Soak.Result result = new Soak(new StreamBenchmark(settings, out, stamp), settings, sample, out).run(name, rate);
    out.println();
    summary(result, rate).forEach(out::println);
    out.printf("Load average: %s at start, %s at the end (%d cores)%n", startLoad, LoadAverage.now(),
        Runtime.getRuntime().availableProcessors());
    out.println(verdict(result));
    out.flush();
    return result.allStored() ? CliSupport.EXIT_OK : CliSupport.EXIT_FAILED;
  }

  /** Bad flags are one-line usage errors. */
  void validate() {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new ParameterException(spec.commandLine(), "--rate must be above 0 events/s, got " + rate);
    }
    if (sample.toMillis() < 1000) {
      throw new ParameterException(spec.commandLine(), "--sample must be at least PT1S, got " + sample);
    }
    if (duration.compareTo(sample.multipliedBy(GrowthVerdict.MIN_SAMPLES)) < 0) {
      throw new ParameterException(spec.commandLine(), "--duration must be at least " + GrowthVerdict.MIN_SAMPLES
          + " --sample intervals (the summary compares thirds), got " + duration + " with --sample=" + sample);
    }
    run.problem().ifPresent(problem -> {
      throw new ParameterException(spec.commandLine(), problem);
    });
  }

  /** The figures: totals, then whether the lag and the heap grew over the producing samples. */
  static List<String> summary(Soak.Result result, double rate) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "Produced %,d events in %.1f s (%,.0f/s); stored %,d; the last sample %.1f s"
        + " after producing stopped.", result.produced(), result.producingSeconds(),
        result.producingSeconds() > 0 ? result.produced() / result.producingSeconds() : 0, result.stored(),
        result.drainSeconds()));
    List<SoakSample> producing = result.samples().stream().filter(SoakSample::producing).toList();
    if (producing.size() < GrowthVerdict.MIN_SAMPLES) {
      lines.add("Growth: too few samples while producing (" + producing.size() + ") to compare thirds.");
      return lines;
    }
    GrowthVerdict lag = GrowthVerdict.of(producing.stream().map(sample -> (double) sample.lag()).toList(),
        GrowthVerdict.MEAN, LAG_RATIO, rate * LAG_MARGIN_SECONDS);
    lines.add("Lag (produced - stored), mean over the producing samples: " + lag.describe("%,.0f")
        + String.format(Locale.ROOT, " (grown means > %.1fx and > %,.0f events, %.0f s of input)", LAG_RATIO,
            rate * LAG_MARGIN_SECONDS, LAG_MARGIN_SECONDS));
    List<HeapUsage> heaps = producing.stream().map(SoakSample::heap).filter(heap -> heap != null).toList();
    if (heaps.size() < GrowthVerdict.MIN_SAMPLES) {
      lines.add("Heap: too few readings (" + heaps.size() + ") to compare thirds.");
      return lines;
    }
    GrowthVerdict heap = GrowthVerdict.of(heaps.stream().map(HeapUsage::usedMb).toList(), GrowthVerdict.LOWEST,
        HEAP_RATIO, HEAP_MARGIN_MB);
    lines.add("Heap used, lowest sample: " + heap.describe("%,.0f MB")
        + String.format(Locale.ROOT, " (grown means > %.2fx and > %.0f MB); highest used %,.0f MB, committed %,.0f"
            + " to %,.0f MB", HEAP_RATIO, HEAP_MARGIN_MB,
            heaps.stream().mapToDouble(HeapUsage::usedMb).max().orElseThrow(),
            heaps.stream().mapToDouble(HeapUsage::committedMb).min().orElseThrow(),
            heaps.stream().mapToDouble(HeapUsage::committedMb).max().orElseThrow()));
    return lines;
  }

  /** The last line: everything stored, or why not. */
  static String verdict(Soak.Result result) {
    if (result.allStored()) {
      return String.format(Locale.ROOT, "All %,d produced events were stored.", result.produced());
    }
    return "NOT all produced events were stored: " + (result.failure() != null ? result.failure()
        : String.format(Locale.ROOT, "%,d of %,d", result.stored(), result.produced()));
  }
}
