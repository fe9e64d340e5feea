package dev.tally.pipelines;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.pipelines.io.hotfolder.HotFolder;
import dev.tally.pipelines.io.hotfolder.ReadRecordsFromHotFolder;
import dev.tally.pipelines.io.kafka.KafkaCheck;
import dev.tally.pipelines.io.kafka.PublishDeadLettersToKafka;
import dev.tally.pipelines.io.kafka.ReadRecordsFromKafka;
import dev.tally.pipelines.io.kafka.ResumeFromStoredOffsets;
import dev.tally.pipelines.io.postgres.EventWindows;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.io.postgres.RetryPolicy;
import dev.tally.pipelines.io.postgres.StoreDeadLetters;
import dev.tally.pipelines.io.postgres.StoreEventsWithCounts;
import dev.tally.pipelines.io.postgres.StoredKafkaOffsets;
import dev.tally.pipelines.options.Durations;
import dev.tally.pipelines.options.PipelineFlags;
import dev.tally.pipelines.options.StreamingPipelineOptions;
import dev.tally.schema.EventSchema;
import dev.tally.transforms.ParseEvents;
import dev.tally.transforms.ValidateEvents;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Duration;

/**
 * Streaming path: Kafka or a hot folder ({@code --source=files}) -> {@link ParseEvents} -> {@link ValidateEvents}
 * -> PostgreSQL, effectively once.
 *
 * <p>Counting happens in the sink ({@link StoreEventsWithCounts}), not in Beam windows: each valid event is
 * inserted into {@code user_events} once by its key, and the same transaction adds it to the
 * {@code user_event_counts} rows of the windows containing its event time. Runners replay bundles after a crash
 * (and the Spark runner can re-emit whole panes), but a replayed event inserts nothing and so counts nothing. No
 * watermark decides anything, so no event is ever dropped as late; {@code --allowedLateness} therefore does not
 * apply here: every valid event counts, however late. An event PostgreSQL refuses is neither stored nor counted
 * but becomes a dead letter ({@code rejected_by_database}). Dead letters go to {@code dead_letters} (idempotent)
 * and, at least once, as JSON to {@code --deadLetterTopic}.
 */
public final class StreamingPipeline {

  private StreamingPipeline() {}

  /** Adds the streaming path to {@code pipeline}; the tables must exist (see {@link PostgresSchema}). */
  public static void buildPipeline(Pipeline pipeline, StreamingPipelineOptions options, PostgresTarget postgres) {
    EventSchema schema = BatchPipeline.schema(options);
    EventWindows windows = windows(options);
    RetryPolicy retry = retryPolicy(options);
    int batchSize = options.getJdbcBatchSize();
    if (batchSize < 1) {
      throw new UserError("--jdbcBatchSize must be at least 1, got " + batchSize);
    }
    if (options.getMaxRecordBytes() <= 0) {
      throw new UserError("--maxRecordBytes must be positive, got " + options.getMaxRecordBytes());
    }

    boolean fromFiles = readsFiles(options);
    PCollection<RawRecord> records =
        pipeline.apply(
            "ReadRecords",
            fromFiles
                ? new ReadRecordsFromHotFolder(
                    hotFolder(options), schema, pollInterval(options), archiveAfter(options))
                : new ReadRecordsFromKafka(
                    options.getBootstrapServers(), options.getTopic(), options.getConsumerGroup()));
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> parsed =
        records.apply("ParseEvents", new ParseEvents(schema, options.getMaxRecordBytes()));
    WithFailures.Result<PCollection<Event>, DeadLetter> validated =
        parsed.output().apply("ValidateEvents", new ValidateEvents(schema));
    // Kafka offsets are stored with the rows (StoredKafkaOffsets) and a restart resumes from them.
    StoredKafkaOffsets offsets = fromFiles ? null : new StoredKafkaOffsets(options.getConsumerGroup());
    PCollection<DeadLetter> rejected =
        validated
            .output()
            .apply(
                "StoreEventsWithCounts",
                ParDo.of(
                    new StoreEventsWithCounts(postgres, schema, windows, batchSize)
                        .retrying(retry)
                        .recording(offsets)));

    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.failures())
            .and(validated.failures())
            .and(rejected)
            .apply("CollectDeadLetters", Flatten.pCollections());
    // The topic first: the table's sink records each letter's offset as stored, after which no restart reads it
    // again. The hot folder needs no Kafka: its dead letters go to the table only.
    String deadLetterTopic = fromFiles ? null : options.getDeadLetterTopic();
    PCollection<DeadLetter> toStore =
        deadLetterTopic == null || deadLetterTopic.isEmpty()
            ? deadLetters
            : deadLetters.apply(
                "PublishDeadLettersToKafka",
                ParDo.of(new PublishDeadLettersToKafka(options.getBootstrapServers(), deadLetterTopic)));
    toStore.apply(
        "StoreDeadLetters",
        ParDo.of(new StoreDeadLetters(postgres, batchSize, options.getRunId()).retrying(retry).recording(offsets)));
  }

  /**
   * Checks the source (Kafka and its topics, or the hot folder) and PostgreSQL (one clear error if any is
   * unreachable), creates the tables if missing, builds and starts the pipeline. It runs until cancelled.
   */
  public static PipelineResult start(StreamingPipelineOptions options) {
    // Every flag first: a bad flag is reported before any service is contacted.
    BatchPipeline.schema(options);
    windows(options);
    retryPolicy(options);
    boolean fromFiles = readsFiles(options);
    if (fromFiles) {
      pollInterval(options);
      archiveAfter(options);
      if (onSpark(options)) {
        // Found by trying: Beam 2.62's Spark runner refuses Watch in streaming mode ("Not expected to directly
        // translate splittable DoFn"); it runs no unbounded splittable DoFn.
        throw new UserError(
            "--source=files does not run on the Spark runner (Beam 2.62's Spark streaming cannot run Beam's Watch,"
                + " which lists the hot folder): use --runner=DirectRunner --blockOnRun=false");
      }
      checkHotFolder(options);
    }
    PostgresTarget postgres =
        PostgresTarget.fromOptions(options)
            .orElseThrow(
                () -> new UserError(
                    "--jdbcUrl is required: the streaming path writes to PostgreSQL, e.g. "
                        + "--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/tally"));
    if (!fromFiles) {
      List<String> topics = new ArrayList<>(List.of(options.getTopic()));
      if (options.getDeadLetterTopic() != null && !options.getDeadLetterTopic().isEmpty()) {
        topics.add(options.getDeadLetterTopic());
      }
      KafkaCheck.topicsExist(options.getBootstrapServers(), topics);
    }
    PostgresSchema.apply(postgres, BatchPipeline.schema(options));
    if (!fromFiles) {
      ResumeFromStoredOffsets.apply(
          options.getBootstrapServers(), options.getTopic(), options.getConsumerGroup(), postgres);
    }
    if (onSpark(options)) {
      SparkCheckpoint.freshForThisStart(options);
    }

    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options, postgres);
    return pipeline.run();
  }

  public static void main(String[] args) throws IOException {
    PipelineResult result;
    StreamingPipelineOptions options;
    try {
      options = parseOptions(args);
      result = start(options);
      String source =
          readsFiles(options)
              ? "the hot folder " + options.getInput() + " (archive: " + hotFolder(options).archiveFolder() + ")"
              : options.getTopic() + " at " + options.getBootstrapServers() + " as group " + options.getConsumerGroup();
      System.out.println(
          "tally stream: reading " + source + " into PostgreSQL at " + options.getJdbcUrl()
              + "; stop with Ctrl-C (SIGTERM)");
    } catch (UserError e) {
      System.err.println("tally stream: " + e.getMessage());
      System.exit(2);
      return;
    }
    StopOnSignal.install(result, onSpark(options));
    PipelineResult.State state;
    try {
      state = result.waitUntilFinish();
    } catch (RuntimeException e) {
      if (StopOnSignal.stopping()) {
        return; // its hook ends the JVM
      }
      // A bundle failed for good, e.g. PostgreSQL down for longer than --jdbcRetryTime. Seen on the Spark runner:
      // the JVM then stays up but stores nothing more, so end it loudly, for a supervisor to restart it.
      System.err.println("tally stream: the pipeline failed, exiting with status 1: " + rootCause(e).getMessage()
          + "; fix the cause and start it again (it resumes after the records already stored)");
      System.err.flush();
      // halt, not exit: StopOnSignal's hook would wait for Spark and end the JVM with status 0.
      Runtime.getRuntime().halt(1);
      return;
    }
    System.out.println("tally stream: pipeline " + state);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Parses Beam flags; an unknown or malformed flag becomes a {@link UserError}. */
  public static StreamingPipelineOptions parseOptions(String... args) {
    StreamingPipelineOptions options =
        PipelineFlags.parse(StreamingPipelineOptions.class, "StreamingPipeline", args);
    // Always a streaming job, whatever the runner; this also makes --windowSize default to PT1M.
    options.setStreaming(true);
    return options;
  }


  /** True for {@code --source=files}, false for {@code --source=kafka}. */
  private static boolean readsFiles(StreamingPipelineOptions options) {
    String source = options.getSource();
    if ("files".equals(source)) {
      return true;
    }
    if ("kafka".equals(source)) {
      return false;
    }
    throw new UserError("--source=" + source + " is not a source: use --source=kafka or --source=files");
  }

  private static HotFolder hotFolder(StreamingPipelineOptions options) {
    String input = options.getInput();
    if (input == null || input.isBlank()) {
      throw new UserError("--source=files needs --input, the hot folder and its files, e.g. --input='data/hot/*.csv'");
    }
    try {
      return HotFolder.of(input, options.getArchiveDir());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The hot folder must exist and be listable: one line naming the fix if not. */
  private static void checkHotFolder(StreamingPipelineOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    HotFolder folder = hotFolder(options);
    MatchResult match;
    try {
      match = FileSystems.match(List.of(folder.folder()), EmptyMatchTreatment.ALLOW).get(0);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot read the hot folder of --input=" + options.getInput() + ": " + e.getMessage(), e);
    }
    boolean found;
    try {
      found = match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
    } catch (IOException e) {
      found = false;
    }
    if (!found) {
      throw new UserError(
          "the hot folder " + folder.folder() + " of --input=" + options.getInput()
              + " does not exist or cannot be read: create it (mkdir -p " + folder.folder() + ") or fix --input");
    }
    try {
      folder.names();
    } catch (IOException e) {
      throw new UserError(
          "cannot list the hot folder " + folder.folder() + " or its archive " + folder.archiveFolder() + ": "
              + e.getMessage() + "; check their permissions, or --archiveDir",
          e);
    }
  }

  private static Duration pollInterval(StreamingPipelineOptions options) {
    return positive("pollInterval", options.getPollInterval());
  }

  private static Duration archiveAfter(StreamingPipelineOptions options) {
    return positive("archiveAfter", options.getArchiveAfter());
  }

  private static RetryPolicy retryPolicy(StreamingPipelineOptions options) {
    return RetryPolicy.withBudget(
        java.time.Duration.ofMillis(positive("jdbcRetryTime", options.getJdbcRetryTime()).getMillis()));
  }

  private static Duration positive(String flag, String text) {
    Duration duration = Durations.parse(flag, text);
    if (duration == null || duration.getMillis() <= 0) {
      throw new UserError("--" + flag + "=" + text + " must be a positive ISO-8601 duration, e.g. PT5S");
    }
    return duration;
  }

  /** By name, so that other runners never load Spark's classes. */
  private static boolean onSpark(StreamingPipelineOptions options) {
    return options.getRunner().getSimpleName().equals("SparkRunner");
  }

  private static EventWindows windows(StreamingPipelineOptions options) {
    try {
      return new EventWindows(
          Durations.parse("windowSize", options.getWindowSize()),
          Durations.parse("windowPeriod", options.getWindowPeriod()));
    } catch (IllegalArgumentException e) {
      throw new UserError("--" + e.getMessage(), e);
    }
  }
}
