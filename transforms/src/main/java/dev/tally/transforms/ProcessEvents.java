package dev.tally.transforms;

import dev.tally.model.DeadLetter;
import dev.tally.model.Event;
import dev.tally.model.InputFormat;
import dev.tally.model.ParsedRecord;
import dev.tally.model.RawRecord;
import dev.tally.model.ReasonCode;
import dev.tally.model.WindowedCount;
import dev.tally.schema.EventSchema;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * The whole of Tally's processing: parse, validate, de-duplicate and count, with every rejected record in the
 * dead letters. Every input record ends up valid, a counted duplicate, or a dead letter, so the Beam counters
 * satisfy {@code read = valid + duplicates + dead_letters}.
 */
public class ProcessEvents extends PTransform<PCollection<RawRecord>, ProcessEvents.Result> {
  public static final TupleTag<Event> VALID_EVENTS = new TupleTag<>("validEvents") {};
  public static final TupleTag<WindowedCount> COUNTS = new TupleTag<>("counts") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};

  private final EventSchema schema;
  private final long maxRecordBytes;
  private final Duration windowSize;
  private final Duration windowPeriod;
  private final Duration allowedLateness;

  /**
   * @param schema the records' layout, fields, roles and rules
   * @param maxRecordBytes larger records are dead-lettered as {@code record_too_large}
   * @param windowSize count window length
   * @param windowPeriod sliding window period, or null for fixed windows
   * @param allowedLateness how long after a window's end late events still update its count
   */
  public ProcessEvents(
      EventSchema schema,
      long maxRecordBytes,
      Duration windowSize,
      Duration windowPeriod,
      Duration allowedLateness) {
    this.schema = schema;
    this.maxRecordBytes = maxRecordBytes;
    this.windowSize = windowSize;
    this.windowPeriod = windowPeriod;
    this.allowedLateness = allowedLateness;
  }

  /** The default schema in the given encoding. */
  public ProcessEvents(
      InputFormat format, long maxRecordBytes, Duration windowSize, Duration windowPeriod, Duration allowedLateness) {
    this(EventSchema.defaultSchema().withFormat(format), maxRecordBytes, windowSize, windowPeriod, allowedLateness);
  }

  @Override
  public Result expand(PCollection<RawRecord> records) {
    WithFailures.Result<PCollection<ParsedRecord>, DeadLetter> parsed =
        records.apply("ParseEvents", new ParseEvents(schema, maxRecordBytes));
    WithFailures.Result<PCollection<Event>, DeadLetter> validated =
        parsed.output().apply("ValidateEvents", new ValidateEvents(schema));

    PCollection<Event> timed = validated.output().apply("AssignEventTime", eventTime());
    // Without an event id there is nothing to recognise a copy by: every valid record counts.
    PCollection<Event> unique =
        schema.hasEventId()
            ? timed.apply("DeduplicateEvents", new DeduplicateEvents(windowSize, allowedLateness))
            : timed.apply("CountValid", ParDo.of(new CountValid()));
    PCollection<WindowedCount> counts =
        unique.apply("CountByUserAndType", new CountByUserAndType(windowSize, windowPeriod, allowedLateness));

    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.failures())
            .and(validated.failures())
            .apply("CollectDeadLetters", Flatten.pCollections())
            .apply("CountDeadLetters", ParDo.of(new CountByReason()));

    return new Result(
        PCollectionTuple.of(VALID_EVENTS, unique).and(COUNTS, counts).and(DEAD_LETTERS, deadLetters));
  }

  @SuppressWarnings("deprecation") // The skew lets re-stamping work on inputs that already carry a timestamp.
  private static WithTimestamps<Event> eventTime() {
    return WithTimestamps.of(Event::beamTimestamp).withAllowedTimestampSkew(Duration.millis(Long.MAX_VALUE));
  }

  private static final class CountValid extends DoFn<Event, Event> {
    private final Counter valid = TallyMetrics.counter(TallyMetrics.VALID);

    @ProcessElement
    public void processElement(@Element Event event, OutputReceiver<Event> out) {
      valid.inc();
      out.output(event);
    }
  }

  private static final class CountByReason extends DoFn<DeadLetter, DeadLetter> {
    private final Counter total = TallyMetrics.counter(TallyMetrics.DEAD_LETTERS);
    private final Map<ReasonCode, Counter> byReason = new EnumMap<>(ReasonCode.class);

    CountByReason() {
      for (ReasonCode reason : ReasonCode.values()) {
        byReason.put(reason, TallyMetrics.counter(TallyMetrics.deadLettersFor(reason)));
      }
    }

    @ProcessElement
    public void processElement(@Element DeadLetter letter, OutputReceiver<DeadLetter> out) {
      total.inc();
      byReason.get(letter.reason()).inc();
      out.output(letter);
    }
  }

  /** The three outputs: valid de-duplicated events, windowed counts and dead letters. */
  public static final class Result implements POutput {
    private final PCollectionTuple outputs;

    private Result(PCollectionTuple outputs) {
      this.outputs = outputs;
    }

    /** Valid events (one per event id when the schema has one), timestamped with their event time. */
    public PCollection<Event> validEvents() {
      return outputs.get(VALID_EVENTS);
    }

    public PCollection<WindowedCount> counts() {
      return outputs.get(COUNTS);
    }

    public PCollection<DeadLetter> deadLetters() {
      return outputs.get(DEAD_LETTERS);
    }

    @Override
    public Pipeline getPipeline() {
      return outputs.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return outputs.expand();
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {
      outputs.finishSpecifyingOutput(transformName, input, transform);
    }
  }
}
