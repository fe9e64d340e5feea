package dev.tally.runners.bench;

import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.KafkaEventProducer;
import dev.tally.generator.KafkaRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One soak: on a fresh topic, schema and pipeline JVM (as {@link StreamBenchmark} makes them), the warm-up, then
 * valid events at a steady rate for the duration, each with the moment of sending as its event time, and a drain
 * until every event is stored. Every sample interval it prints a {@link SoakSample}: produced, stored, lag, the
 * pipeline's heap and the load average.
 */
final class Soak {
  /** How often the drain checks whether everything is stored, between samples. */
  private static final long DRAIN_POLL_MILLIS = 1000;

  /**
   * What a soak measured.
   *
   * @param samples every sample, producing and drain
   * @param produced events Kafka acknowledged
   * @param stored records accounted for in PostgreSQL at the end
   * @param producingSeconds how long producing took
   * @param drainSeconds from the end of producing to the last sample
   * @param failure why not everything was stored, or null
   */
  record Result(List<SoakSample> samples, long produced, long stored, double producingSeconds, double drainSeconds,
      String failure) {
    boolean allStored() {
      return failure == null && stored == produced;
    }
  }

  private final StreamBenchmark benchmark;
  private final StreamBenchmark.Settings settings;
  private final Duration sample;
  private final PrintWriter out;

  Soak(StreamBenchmark benchmark, StreamBenchmark.Settings settings, Duration sample, PrintWriter out) {
    this.benchmark = benchmark;
    this.settings = settings;
    this.sample = sample;
    this.out = out;
  }

  /** Soaks the pipeline at {@code rate} events/s on fresh resources named {@code name}. */
  Result run(String name, double rate) throws InterruptedException {
    return benchmark.withFreshRun(name, (database, pipeline, topic) -> {
      long started = System.nanoTime();
      long warmUpEvents;
      try {
        warmUpEvents = benchmark.warmUp(database, pipeline, topic);
      } catch (StreamBenchmark.StartFailure e) {
        return new Result(List.of(), 0, 0, 0, 0, e.getMessage());
      }
      out.printf(Locale.ROOT, "  pipeline ready %.1f s after start (%d warm-up events stored, not counted below)%n%n",
          (System.nanoTime() - started) / 1e9, warmUpEvents);
      out.println(SoakSample.headerLine());
      out.flush();
      return produceAndSample(rate, database, pipeline, topic, warmUpEvents);
    });
  }

  private Result produceAndSample(double rate, StreamBenchDatabase database, StreamPipelineProcess pipeline,
      String topic, long warmUpEvents) throws InterruptedException {
    GeneratorConfig config = GeneratorConfig.builder()
        .events(KafkaEventProducer.eventsFor(rate, settings.duration()))
        .seed(settings.seed()).invalidRate(0).duplicateRate(0).lateRate(0).build();
    AtomicLong produced = new AtomicLong();
    AtomicLong producingEnded = new AtomicLong();
    ExecutorService producer = Executors.newSingleThreadExecutor();
    long start = System.nanoTime();
    Future<KafkaRun> sending = producer.submit(() -> {
      try {
        return KafkaEventProducer.send(config, settings.bootstrapServers(), topic, rate, true,
            record -> produced.incrementAndGet());
      } finally {
        producingEnded.set(System.nanoTime());
      }
    });
    Path javaHome = settings.stack().javaExecutable().getParent().getParent();
    List<SoakSample> samples = new ArrayList<>();
    String heapProblem = null;
    String failure = null;
    long lastStored = -1;
    long lastProgress = System.nanoTime();
    try {
      for (int index = 1; ; index++) {
        long due = start + index * sample.toNanos();
        boolean allStored = false;
        while (System.nanoTime() < due && !allStored) {
          Thread.sleep(Math.max(1, Math.min(DRAIN_POLL_MILLIS, (due - System.nanoTime()) / 1_000_000)));
          // While draining, end as soon as everything is stored rather than at the next sample.
          allStored = sending.isDone() && database.storedRecords() - warmUpEvents >= config.events();
        }
        boolean producing = !sending.isDone();
        long elapsed = Math.round((System.nanoTime() - start) / 1e9);
        // Produced and stored close together (the heap reading after them takes a JVM start).
        long producedNow = produced.get();
        long stored = database.storedRecords() - warmUpEvents;
        HeapUsage heap = null;
        try {
          heap = HeapUsage.read(javaHome, pipeline.pid());
        } catch (IllegalStateException e) {
          if (heapProblem == null && pipeline.isAlive()) {
            heapProblem = e.getMessage();
            out.println("  note: " + heapProblem);
          }
        }
        SoakSample row = new SoakSample(elapsed, producedNow, stored, heap,
            LoadAverage.now(), producing);
        samples.add(row);
        out.println(row.line());
        out.flush();
        if (stored > lastStored) {
          lastStored = stored;
          lastProgress = System.nanoTime();
        }
        if (!pipeline.isAlive()) {
          failure = "the pipeline exited " + row.cells()[0] + " after producing began; see " + pipeline.log();
          break;
        }
        if (producing) {
          continue;
        }
        failure = producerFailure(sending);
        if (failure != null || stored >= config.events()) {
          break;
        }
        double draining = (System.nanoTime() - producingEnded.get()) / 1e9;
        if (draining > settings.drainTimeout().toSeconds()) {
          failure = String.format(Locale.ROOT, "%,d of %,d produced events stored within --drain-timeout %s",
              stored, produced.get(), settings.drainTimeout());
          break;
        }
        if (System.nanoTime() - lastProgress > StreamBenchmark.STALL.toNanos()) {
          failure = String.format(Locale.ROOT, "%,d of %,d produced events stored, and no new row for %d s",
              stored, produced.get(), StreamBenchmark.STALL.toSeconds());
          break;
        }
      }
    } finally {
      producer.shutdownNow();
    }
    long end = producingEnded.get() != 0 ? producingEnded.get() : System.nanoTime();
    SoakSample last = samples.get(samples.size() - 1);
    return new Result(samples, produced.get(), last.stored(), (end - start) / 1e9,
        Math.max(0, System.nanoTime() - end) / 1e9, failure);
  }

  /** Why the producer failed, or null if it sent everything. */
  private static String producerFailure(Future<KafkaRun> sending) throws InterruptedException {
    try {
      sending.get();
      return null;
    } catch (ExecutionException e) {
      return "producing failed: " + e.getCause().getMessage();
    }
  }
}
