package dev.tally.runners.bench;

import dev.tally.generator.GeneratorConfig;
import dev.tally.generator.KafkaEventProducer;
import dev.tally.generator.KafkaRun;
import dev.tally.generator.KafkaUnavailableException;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.runners.compare.CompareException;
import dev.tally.runners.compare.LegRunner;
import dev.tally.runners.stack.StackSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream benchmark run at one rate: a fresh topic, consumer group and PostgreSQL schema; the streaming pipeline
 * in its own JVM; a warm-up until it has stored an event; {@code duration} of valid events at the rate, each with
 * the moment of sending as its event time; a drain until every event is stored (or progress stops); then the
 * figures, from the rows' event and insert times. The topic, schema and checkpoint are deleted afterwards unless
 * kept.
 */
public final class StreamBenchmark {
  /** Without a new row for this long the drain gives up. */
  static final Duration STALL = Duration.ofSeconds(60);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  /** Warm-up events sent per readiness check. */
  private static final int WARM_UP_BURST = 5;
  /** Lines of the lag-over-time listing per run, about. */
  private static final int LAG_POINTS = 12;

  /**
   * How runs run.
   *
   * @param stack Java, its flags, the repository
   * @param classpath the pipeline JVM's classpath
   * @param heap the pipeline JVM's heap
   * @param javaOptions extra options for the pipeline JVM
   * @param pipelineFlags extra pipeline flags
   * @param bootstrapServers Kafka
   * @param partitions partitions of each run's topic; empty: the broker's default
   * @param server PostgreSQL, without a schema
   * @param passwordFile the password file the pipeline reads
   * @param duration how long events are sent
   * @param warmUp the first part of the sending not counted in the steady rates and latencies
   * @param startupTimeout how long the pipeline may take to become ready
   * @param readyLatency the pipeline is ready when a warm-up burst is stored with every latency within this
   * @param drainTimeout how long after sending the rest may take to be stored
   * @param seed the generator's seed
   * @param rule when a run is sustained
   * @param keep keep each run's topics, schema and checkpoint
   * @param workDir logs and checkpoints
   */
  public record Settings(
      StackSettings stack,
      String classpath,
      String heap,
      List<String> javaOptions,
      List<String> pipelineFlags,
      String bootstrapServers,
      Optional<Integer> partitions,
      PostgresTarget server,
      Path passwordFile,
      Duration duration,
      Duration warmUp,
      Duration startupTimeout,
      Duration readyLatency,
      Duration drainTimeout,
      long seed,
      SustainedRule rule,
      boolean keep,
      Path workDir) {}

  private final Settings settings;
  private final PrintWriter out;
  private final String stamp;

  /** @param stamp names this benchmark's topics and schemas: lower-case letters, digits and '_' */
  public StreamBenchmark(Settings settings, PrintWriter out, String stamp) {
    this.settings = settings;
    this.out = out;
    this.stamp = stamp;
  }

  /** Runs number {@code index} at {@code rate} events/s. */
  public StreamRunResult run(int index, double rate) throws InterruptedException {
    String name = "bench_" + stamp + "_" + index;
    out.printf(Locale.ROOT, "Run %d: %,.0f events/s for %s; topic %s, schema %s, load average %s%n", index, rate,
        settings.duration(), name, name, LoadAverage.now());
    out.flush();
    return withFreshRun(name, (database, pipeline, topic) -> measure(rate, database, pipeline, topic));
  }

  /** What a benchmark does with a fresh run's schema, pipeline and topic. */
  interface RunBody<T> {
    T run(StreamBenchDatabase database, StreamPipelineProcess pipeline, String topic) throws InterruptedException;
  }

  /**
   * Creates the topic {@code name} (and its {@code _dlq} topic), the schema {@code name}, starts the pipeline on them
   * with the consumer group {@code name}, runs {@code body}, then stops the pipeline and deletes what it created
   * unless kept.
   */
  <T> T withFreshRun(String name, RunBody<T> body) throws InterruptedException {
    List<String> topics = List.of(name, name + "_dlq");
    StreamBenchDatabase database = new StreamBenchDatabase(settings.server(), name);
    Path runDir = settings.workDir().resolve(name);
    BenchTopics kafka = new BenchTopics(settings.bootstrapServers());
    try {
      database.create();
      kafka.create(topics, settings.partitions());
      List<String> flags = new ArrayList<>(List.of(
          "--bootstrapServers=" + settings.bootstrapServers(), "--topic=" + name, "--deadLetterTopic=" + topics.get(1),
          "--consumerGroup=" + name, "--checkpointDir=" + runDir.resolve("checkpoint"),
          "--jdbcUrl=" + database.target().url(), "--jdbcUser=" + settings.server().user(),
          "--jdbcPasswordFile=" + settings.passwordFile()));
      flags.addAll(settings.pipelineFlags());
      try (StreamPipelineProcess pipeline = StreamPipelineProcess.start(settings.stack(), settings.classpath(),
          settings.heap(), settings.javaOptions(), flags, runDir.resolve("pipeline.log"))) {
        out.printf("  pipeline JVM pid %d, log %s%n", pipeline.pid(), pipeline.log());
        out.flush();
        return body.run(database, pipeline, name);
      }
    } finally {
      if (!settings.keep()) {
        // Clean-up problems are notes: they must not hide the run's own outcome or error.
        kafka.delete(topics).ifPresent(note -> out.println("  note: " + note));
        try {
          database.drop();
        } catch (CompareException e) {
          out.println("  note: could not drop schema " + name + ": " + e.getMessage());
        }
        BatchBenchmark.deleteTree(runDir.resolve("checkpoint"));
      }
    }
  }

  private StreamRunResult measure(double rate, StreamBenchDatabase database, StreamPipelineProcess pipeline,
      String topic) throws InterruptedException {
    long started = System.nanoTime();
    long warmUpEvents;
    try {
      warmUpEvents = warmUp(database, pipeline, topic);
    } catch (StartFailure e) {
      return StreamRunResult.failed(rate, e.sent, 0, 0, e.getMessage());
    }
    out.printf(Locale.ROOT, "  pipeline ready %.1f s after start (%d warm-up events stored)%n",
        (System.nanoTime() - started) / 1e9, warmUpEvents);
    out.flush();

    GeneratorConfig config = GeneratorConfig.builder()
        .events(KafkaEventProducer.eventsFor(rate, settings.duration()))
        .seed(settings.seed()).invalidRate(0).duplicateRate(0).lateRate(0).build();
    AtomicLong acknowledged = new AtomicLong();
    long sendStart = System.currentTimeMillis();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
    progress.scheduleAtFixedRate(() -> printProgress(sendStart, acknowledged.get(), database, warmUpEvents),
        PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    KafkaRun run;
    long sendEnd;
    long stored;
    try {
      try {
        run = KafkaEventProducer.send(config, settings.bootstrapServers(), topic, rate, true,
            record -> acknowledged.incrementAndGet());
      } catch (KafkaUnavailableException e) {
        throw new CompareException(e.getMessage());
      }
      sendEnd = System.currentTimeMillis();
      stored = drain(database, pipeline, warmUpEvents + run.manifest().totals().records()) - warmUpEvents;
    } finally {
      progress.shutdownNow();
    }
    long sent = run.manifest().totals().records();
    out.printf(Locale.ROOT, "  sent %,d events in %.1f s (%,.0f/s); %,d stored %.1f s after sending stopped%n", sent,
        run.elapsed().toMillis() / 1000.0, run.achievedRate(), stored, (System.currentTimeMillis() - sendEnd) / 1000.0);
    String failure = pipeline.isAlive() ? null
        : "the pipeline exited; its last lines:\n" + LegRunner.tail(pipeline.log(), 15);
    Optional<long[]> bounds = database.firstSentLastStored(sendStart);
    if (bounds.isEmpty()) {
      return StreamRunResult.failed(rate, warmUpEvents, sent, stored,
          failure != null ? failure : "no event of the measured phase was stored");
    }
    return analyse(rate, database, warmUpEvents, sent, bounds.get()[0], sendEnd, bounds.get()[1], failure);
  }

  /** The figures of a run whose first event was sent at {@code firstSent} and last row stored at {@code lastStored}. */
  private StreamRunResult analyse(double rate, StreamBenchDatabase database, long warmUpEvents, long sent,
      long firstSent, long sendEnd, long lastStored, String failure) {
    StreamTimeline timeline =
        StreamTimeline.of(database.sentPerSecond(firstSent), database.storedPerSecond(firstSent));
    Window window = Window.of(settings.duration(), settings.warmUp(), firstSent, sendEnd);
    double sentRate = timeline.sentRate(window.from(), window.to());
    double storedRate = timeline.storedRate(window.from(), window.to());
    long lagAtEnd = timeline.lagAt(window.sendingStopped());
    StreamBenchDatabase.Latency latency =
        database.latency(firstSent + window.from() * 1000L, firstSent + window.to() * 1000L);
    int until = (int) Math.ceil((lastStored - firstSent) / 1000.0);
    List<long[]> lag = timeline.lagEvery(Math.max(1, until / LAG_POINTS), until);
    long stored = timeline.totalStored();
    SustainedRule.Verdict verdict =
        settings.rule().decide(rate, sentRate, storedRate, lagAtEnd, failure == null && stored == sent);
    StreamRunResult result = new StreamRunResult(rate, warmUpEvents, sent, stored, sentRate, storedRate, latency,
        lagAtEnd, lag, Math.max(0, lastStored - sendEnd) / 1000.0, verdict, failure);
    out.printf(Locale.ROOT, "  steady part: seconds %d-%d of sending; latency over %,d events: p50 %.0f ms, p95 %.0f ms,"
        + " p99 %.0f ms, max %.0f ms%n", window.from(), window.to(), latency.rows(), latency.p50(), latency.p95(),
        latency.p99(), latency.max());
    out.println("  lag (sent - stored) by second: " + result.lagLine());
    out.println("  sustained: " + verdict.cell());
    out.flush();
    return result;
  }

  /**
   * The steady part of a run, in whole seconds from its first event: after the warm-up (at most half the duration)
   * until sending stopped.
   *
   * @param from first second of the steady part
   * @param to end (exclusive) of the steady part: the last whole second of sending
   * @param sendingStopped the second by which every event was sent (rounded up)
   */
  record Window(int from, int to, int sendingStopped) {
    static Window of(Duration duration, Duration warmUp, long firstSent, long sendEnd) {
      int from = (int) Math.min(warmUp.toSeconds(), duration.toSeconds() / 2);
      int to = Math.max(from + 1, (int) ((sendEnd - firstSent) / 1000));
      int stopped = Math.max(to, (int) Math.ceil((sendEnd - firstSent) / 1000.0));
      return new Window(from, to, stopped);
    }
  }

  /**
   * Sends bursts of {@link #WARM_UP_BURST} events, one a second, until the pipeline stores a whole burst with every
   * event's latency within {@code readyLatency}: its start-up (the JVM, Spark, the first, slow micro-batches) is
   * over. Returns how many events were sent.
   */
  long warmUp(StreamBenchDatabase database, StreamPipelineProcess pipeline, String topic)
      throws InterruptedException, StartFailure {
    Instant deadline = Instant.now().plus(settings.startupTimeout());
    long sent = 0;
    while (true) {
      long burstStart = System.currentTimeMillis();
      for (int i = 0; i < WARM_UP_BURST; i++) {
        checkStarting(pipeline, deadline, sent, database.storedRows());
        // A seed of its own per warm-up event: the measured run's event ids (seed) never collide with these.
        GeneratorConfig one = GeneratorConfig.builder().events(1).seed(settings.seed() + 1 + sent)
            .invalidRate(0).duplicateRate(0).lateRate(0).build();
        try {
          KafkaEventProducer.send(one, settings.bootstrapServers(), topic, 0, true, record -> {});
        } catch (KafkaUnavailableException e) {
          throw new CompareException(e.getMessage());
        }
        sent++;
        Thread.sleep(1000);
      }
      long stored;
      while ((stored = database.storedRows()) < sent) {
        checkStarting(pipeline, deadline, sent, stored);
        Thread.sleep(500);
      }
      double slowest = database.latency(burstStart, System.currentTimeMillis() + 60_000).max();
      if (slowest <= settings.readyLatency().toMillis()) {
        return sent;
      }
      out.printf(Locale.ROOT, "  warm-up: %d events stored, the slowest after %,.0f ms; ready when <= %,d ms%n",
          WARM_UP_BURST, slowest, settings.readyLatency().toMillis());
      out.flush();
    }
  }

  private void checkStarting(StreamPipelineProcess pipeline, Instant deadline, long sent, long stored)
      throws StartFailure {
    if (!pipeline.isAlive()) {
      throw new StartFailure(sent, "the pipeline exited during the warm-up; its last lines:\n"
          + LegRunner.tail(pipeline.log(), 15));
    }
    if (Instant.now().isAfter(deadline)) {
      throw new StartFailure(sent, "the pipeline was not ready within " + settings.startupTimeout()
          + " (--startup-timeout): " + stored + " of " + sent + " warm-up events stored; see " + pipeline.log());
    }
  }

  /** Waits until {@code expected} rows are stored, the pipeline dies, or progress stops; returns the rows stored. */
  private long drain(StreamBenchDatabase database, StreamPipelineProcess pipeline, long expected)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(settings.drainTimeout());
    Instant lastProgress = Instant.now();
    long stored = database.storedRows();
    while (stored < expected && pipeline.isAlive() && Instant.now().isBefore(deadline)
        && Instant.now().isBefore(lastProgress.plus(STALL))) {
      Thread.sleep(1000);
      long now = database.storedRows();
      if (now > stored) {
        lastProgress = Instant.now();
      }
      stored = now;
    }
    if (stored < expected) {
      out.printf(Locale.ROOT, "  drain stopped with %,d of %,d rows stored (%s)%n", stored, expected,
          !pipeline.isAlive() ? "the pipeline exited"
              : Instant.now().isAfter(deadline) ? "--drain-timeout " + settings.drainTimeout()
              : "no new row for " + STALL.toSeconds() + " s");
    }
    return stored;
  }

  private void printProgress(long sendStart, long acknowledged, StreamBenchDatabase database, long warmUpEvents) {
    try {
      long stored = database.storedRows() - warmUpEvents;
      out.printf(Locale.ROOT, "  %3d s: sent %,d, stored %,d, lag %,d; load average %s%n",
          Math.round((System.currentTimeMillis() - sendStart) / 1000.0), acknowledged, stored, acknowledged - stored,
          LoadAverage.now());
      out.flush();
    } catch (RuntimeException e) {
      out.println("  (progress: " + e.getMessage() + ")");
    }
  }

  /** The pipeline did not get to store its warm-up events. */
  static final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final long sent;

    StartFailure(long sent, String message) {
      super(message);
      this.sent = sent;
    }
  }
}
