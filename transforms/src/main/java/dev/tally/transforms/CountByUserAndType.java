package dev.tally.transforms;

import dev.tally.model.Event;
import dev.tally.model.WindowedCount;
import java.time.Instant;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Counts events per (event-time window, user_id, event_type). Windows are fixed, or sliding when a period is
 * given. Each window fires once when the watermark passes its end; an event arriving later, but within the
 * allowed lateness, fires an updated pane holding the new total (panes accumulate, so a sink keyed by
 * window/user/type can simply overwrite). Events later than that are dropped by Beam and show in the runner's
 * {@code droppedDueToLateness} counter.
 *
 * <p>Input elements must carry their event time as timestamp.
 */
public class CountByUserAndType extends PTransform<PCollection<Event>, PCollection<WindowedCount>> {
  private final Duration windowSize;
  private final Duration windowPeriod;
  private final Duration allowedLateness;

  /**
   * @param windowSize length of each window
   * @param windowPeriod how often a sliding window starts; null for fixed windows
   * @param allowedLateness how long after a window's end late events still update it
   */
  public CountByUserAndType(Duration windowSize, Duration windowPeriod, Duration allowedLateness) {
    if (windowSize == null || !windowSize.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("windowSize must be positive, got " + windowSize);
    }
    if (windowPeriod != null
        && (!windowPeriod.isLongerThan(Duration.ZERO) || windowPeriod.isLongerThan(windowSize))) {
      throw new IllegalArgumentException(
          "windowPeriod must be positive and at most windowSize (" + windowSize + "), got " + windowPeriod);
    }
    if (allowedLateness == null || allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("allowedLateness must not be negative, got " + allowedLateness);
    }
    this.windowSize = windowSize;
    this.windowPeriod = windowPeriod;
    this.allowedLateness = allowedLateness;
  }

  public static CountByUserAndType fixed(Duration windowSize) {
    return new CountByUserAndType(windowSize, null, Duration.ZERO);
  }

  @Override
  public PCollection<WindowedCount> expand(PCollection<Event> events) {
    WindowFn<Object, IntervalWindow> windows =
        windowPeriod == null
            ? FixedWindows.of(windowSize)
            : SlidingWindows.of(windowSize).every(windowPeriod);
    return events
        .apply(
            "AssignWindows",
            Window.<Event>into(windows)
                .triggering(AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(allowedLateness)
                .accumulatingFiredPanes())
        .apply(
            "KeyByUserAndType",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(event -> KV.of(event.userId(), event.eventType())))
        .apply("CountPerWindow", Count.perElement())
        .apply("ToWindowedCount", ParDo.of(new ToWindowedCount()));
  }

  private static final class ToWindowedCount extends DoFn<KV<KV<String, String>, Long>, WindowedCount> {
    private final Counter rows = TallyMetrics.counter(TallyMetrics.COUNT_ROWS);

    @ProcessElement
    public void processElement(
        @Element KV<KV<String, String>, Long> count, IntervalWindow window, OutputReceiver<WindowedCount> out) {
      rows.inc();
      out.output(
          new WindowedCount(
              Instant.ofEpochMilli(window.start().getMillis()),
              Instant.ofEpochMilli(window.end().getMillis()),
              count.getKey().getKey(),
              count.getKey().getValue(),
              count.getValue()));
    }
  }
}
