package dev.tally.transforms;

import dev.tally.model.Event;
import dev.tally.model.EventCoder;
import java.util.Comparator;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Keeps one event per {@code event_id} and counts the others as duplicates (they are not dead letters: a
 * redelivered event is not bad input). Copies of an event share its event time, so de-duplicating within
 * fixed event-time windows finds them while keeping state bounded; the kept event is the earliest copy.
 *
 * <p>Input elements must carry their event time as timestamp. Output elements keep it.
 *
 * <p>Known limit for streaming: a copy arriving in a later (late) pane than the original is emitted again,
 * i.e. counted valid twice. Batch runs have one pane per window and are exact.
 */
public class DeduplicateEvents extends PTransform<PCollection<Event>, PCollection<Event>> {
  private final Duration windowSize;
  private final Duration allowedLateness;

  /**
   * @param windowSize length of the fixed windows copies are looked for in
   * @param allowedLateness late events within this are still kept (as the counts downstream accept them)
   */
  public DeduplicateEvents(Duration windowSize, Duration allowedLateness) {
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
  }

  // Earliest event time first; the full value breaks ties so every runner keeps the same copy.
  private static final Comparator<Event> PREFERRED =
      Comparator.comparing(Event::eventTime).thenComparing(Event::toString);

  @Override
  public PCollection<Event> expand(PCollection<Event> events) {
    return events
        .apply(
            "WindowForDedup",
            Window.<Event>into(FixedWindows.of(windowSize))
                .withTimestampCombiner(TimestampCombiner.EARLIEST)
                .withAllowedLateness(allowedLateness)
                // A late pane then holds only the late events: each is emitted once.
                .discardingFiredPanes())
        .apply("KeyByEventId", WithKeys.of(Event::eventId).withKeyType(TypeDescriptors.strings()))
        .apply("KeepOnePerEventId", Combine.perKey(new KeepFirst()))
        .apply("CountDuplicates", ParDo.of(new EmitKept()))
        .setCoder(EventCoder.of());
  }

  /** Accumulates (preferred copy, number of copies seen). */
  static final class KeepFirst extends Combine.CombineFn<Event, KV<Event, Long>, KV<Event, Long>> {
    @Override
    public KV<Event, Long> createAccumulator() {
      return KV.of(null, 0L);
    }

    @Override
    public KV<Event, Long> addInput(KV<Event, Long> acc, Event event) {
      return KV.of(preferred(acc.getKey(), event), acc.getValue() + 1);
    }

    @Override
    public KV<Event, Long> mergeAccumulators(Iterable<KV<Event, Long>> accumulators) {
      Event kept = null;
      long copies = 0;
      for (KV<Event, Long> acc : accumulators) {
        kept = preferred(kept, acc.getKey());
        copies += acc.getValue();
      }
      return KV.of(kept, copies);
    }

    @Override
    public KV<Event, Long> extractOutput(KV<Event, Long> acc) {
      return acc;
    }

    @Override
    public Coder<KV<Event, Long>> getAccumulatorCoder(CoderRegistry registry, Coder<Event> inputCoder) {
      return KvCoder.of(NullableCoder.of(inputCoder), VarLongCoder.of());
    }

    @Override
    public Coder<KV<Event, Long>> getDefaultOutputCoder(CoderRegistry registry, Coder<Event> inputCoder)
        throws CannotProvideCoderException {
      return getAccumulatorCoder(registry, inputCoder);
    }

    private static Event preferred(Event a, Event b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      return PREFERRED.compare(a, b) <= 0 ? a : b;
    }
  }

  private static final class EmitKept extends DoFn<KV<String, KV<Event, Long>>, Event> {
    private final Counter valid = TallyMetrics.counter(TallyMetrics.VALID);
    private final Counter duplicates = TallyMetrics.counter(TallyMetrics.DUPLICATES);

    @ProcessElement
    public void processElement(@Element KV<String, KV<Event, Long>> kept, OutputReceiver<Event> out) {
      valid.inc();
      duplicates.inc(kept.getValue().getValue() - 1);
      out.output(kept.getValue().getKey());
    }
  }
}
