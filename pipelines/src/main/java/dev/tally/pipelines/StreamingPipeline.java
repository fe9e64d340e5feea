package dev.tally.pipelines;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.pipelines.io.kafka.KafkaCheck;
import dev.tally.pipelines.io.kafka.ReadRecordsFromKafka;
import dev.tally.pipelines.io.kafka.WriteDeadLettersToKafka;
import dev.tally.pipelines.io.postgres.EventWindows;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.io.postgres.StoreDeadLetters;
import dev.tally.pipelines.io.postgres.StoreEventsWithCounts;
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
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Streaming path: Kafka -> {@link ParseEvents} -> {@link ValidateEvents} -> PostgreSQL, effectively once.
 *
 * <p>Counting happens in the sink ({@link StoreEventsWithCounts}), not in Beam windows: each valid event is
 * inserted into {@code user_events} once by its key, and the same transaction adds it to the
 * {@code user_event_counts} rows of the windows containing its event time. Runners replay bundles after a crash
 * (and the Spark runner can re-emit whole panes), but a replayed event inserts nothing and so counts nothing. No
 * watermark decides anything, so no event is ever dropped as late; {@code --allowedLateness} therefore does not
 * apply here: every valid event counts, however late. Dead letters go to {@code dead_letters} (idempotent) and, at
 * least once, as JSON to {@code --deadLetterTopic}.
 */
public final class StreamingPipeline {

  private StreamingPipeline() {}

  /** Adds the streaming path to {@code pipeline}; the tables must exist (see {@link PostgresSchema}). */
  public static void buildPipeline(Pipeline pipeline, StreamingPipelineOptions options, PostgresTarget postgres) {
    EventSchema schema = BatchPipeline.schema(options);
    EventWindows windows = windows(options);
    int batchSize = options.getJdbcBatchSize();
    if (batchSize < 1) {
      throw new UserError("--jdbcBatchSize must be at least 1, got " + batchSize);
    }
    if (options.getMaxRecordBytes() <= 0) {
      throw new UserError("--maxRecordBytes must be positive, got " + options.getMaxRecordBytes());
    }

    PCollection<RawRecord> records =
        pipeline.apply(
            "ReadRecords",
            new ReadRecordsFromKafka(options.getBootstrapServers(), options.getTopic(), options.getConsumerGroup()));
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> parsed =
        records.apply("ParseEvents", new ParseEvents(schema, options.getMaxRecordBytes()));
    WithFailures.Result<PCollection<Event>, DeadLetter> validated =
        parsed.output().apply("ValidateEvents", new ValidateEvents(schema));
    validated
        .output()
        .apply("StoreEventsWithCounts", ParDo.of(new StoreEventsWithCounts(postgres, schema, windows, batchSize)));

    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.failures())
            .and(validated.failures())
            .apply("CollectDeadLetters", Flatten.pCollections());
    deadLetters.apply("StoreDeadLetters", ParDo.of(new StoreDeadLetters(postgres, batchSize, options.getRunId())));
    String deadLetterTopic = options.getDeadLetterTopic();
    if (deadLetterTopic != null && !deadLetterTopic.isEmpty()) {
      deadLetters.apply(
          "WriteDeadLettersToKafka", new WriteDeadLettersToKafka(options.getBootstrapServers(), deadLetterTopic));
    }
  }

  /**
   * Checks Kafka and PostgreSQL (one clear error if either is unreachable), creates the tables if missing, builds
   * and starts the pipeline. It runs until cancelled.
   */
  public static PipelineResult start(StreamingPipelineOptions options) {
    // Every flag first: a bad flag is reported before any service is contacted.
    BatchPipeline.schema(options);
    windows(options);
    PostgresTarget postgres =
        PostgresTarget.fromOptions(options)
            .orElseThrow(
                () -> new UserError(
                    "--jdbcUrl is required: the streaming path writes to PostgreSQL, e.g. "
                        + "--jdbcUrl=jdbc:postgresql://127.0.0.1:5432/tally"));
    List<String> topics = new ArrayList<>(List.of(options.getTopic()));
    if (options.getDeadLetterTopic() != null && !options.getDeadLetterTopic().isEmpty()) {
      topics.add(options.getDeadLetterTopic());
    }
    KafkaCheck.topicsExist(options.getBootstrapServers(), topics);
    PostgresSchema.apply(postgres, BatchPipeline.schema(options));

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
      System.out.println(
          "tally stream: reading " + options.getTopic() + " at " + options.getBootstrapServers() + " as group "
              + options.getConsumerGroup() + " into PostgreSQL at " + options.getJdbcUrl()
              + "; stop with Ctrl-C (SIGTERM)");
    } catch (UserError e) {
      System.err.println("tally stream: " + e.getMessage());
      System.exit(2);
      return;
    }
    StopOnSignal.install(result, options.getRunner().getSimpleName().equals("SparkRunner"));
    PipelineResult.State state = result.waitUntilFinish();
    System.out.println("tally stream: pipeline " + state);
  }

  /** Parses Beam flags; an unknown or malformed flag becomes a {@link UserError}. */
  public static StreamingPipelineOptions parseOptions(String... args) {
    StreamingPipelineOptions options =
        PipelineFlags.parse(StreamingPipelineOptions.class, "StreamingPipeline", args);
    // Always a streaming job, whatever the runner; this also makes --windowSize default to PT1M.
    options.setStreaming(true);
    return options;
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
