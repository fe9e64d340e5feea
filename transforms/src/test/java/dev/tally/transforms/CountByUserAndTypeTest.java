package dev.tally.transforms;

import static dev.tally.transforms.TestEvents.count;
import static dev.tally.transforms.TestEvents.event;
import static dev.tally.transforms.TestEvents.jodaAt;
import static dev.tally.transforms.TestEvents.stamped;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.model.Event;
import dev.tally.model.EventCoder;
import dev.tally.model.EventType;
import dev.tally.model.WindowedCount;
import dev.tally.testing.TestPipelineExtension;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class CountByUserAndTypeTest {
  private static final Duration ONE_HOUR = Duration.standardHours(1);
  private static final Duration HALF_HOUR = Duration.standardMinutes(30);
  private static final Duration TEN_MINUTES = Duration.standardMinutes(10);

  private static PCollection<WindowedCount> countBatch(
      TestPipeline pipeline, CountByUserAndType count, List<Event> events) {
    return pipeline.apply(Create.timestamped(stamped(events))).apply(count);
  }

  private static IntervalWindow window(String start, String end) {
    return new IntervalWindow(jodaAt(start), jodaAt(end));
  }

  private static Event view(String id, String user, String timeOfDay) {
    return event(id, user, EventType.VIEW, timeOfDay);
  }

  // --- Batch ---

  @Test
  void fixedWindowsSplitAtTheHour(TestPipeline pipeline) {
    PCollection<WindowedCount> counts =
        countBatch(
            pipeline,
            CountByUserAndType.fixed(ONE_HOUR),
            List.of(view("e1", "alice", "10:59:59.999"), view("e2", "alice", "11:00:00.000")));

    PAssert.that(counts)
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 1),
            count("11:00:00", "12:00:00", "alice", EventType.VIEW, 1));
    pipeline.run();
  }

  @Test
  void countsPerWindowUserAndEventType(TestPipeline pipeline) {
    PCollection<WindowedCount> counts =
        countBatch(
            pipeline,
            CountByUserAndType.fixed(ONE_HOUR),
            List.of(
                view("e1", "alice", "10:00:00"),
                view("e2", "alice", "10:30:00"),
                view("e3", "alice", "10:59:00"),
                event("e4", "alice", EventType.ADD_TO_CART, "10:31:00"),
                TestEvents.purchase("e5", "alice", "10:32:00", "9.99"),
                view("e6", "bob", "10:05:00"),
                view("e7", "bob", "10:06:00"),
                event("e8", "bob", EventType.LOGIN, "11:15:00"),
                view("e9", "alice", "11:20:00")));

    PAssert.that(counts)
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 3),
            count("10:00:00", "11:00:00", "alice", EventType.ADD_TO_CART, 1),
            count("10:00:00", "11:00:00", "alice", EventType.PURCHASE, 1),
            count("10:00:00", "11:00:00", "bob", EventType.VIEW, 2),
            count("11:00:00", "12:00:00", "bob", EventType.LOGIN, 1),
            count("11:00:00", "12:00:00", "alice", EventType.VIEW, 1));
    pipeline.run();
  }

  @Test
  void windowSizeIsConfigurable(TestPipeline pipeline) {
    PCollection<WindowedCount> counts =
        countBatch(
            pipeline,
            CountByUserAndType.fixed(Duration.standardMinutes(15)),
            List.of(view("e1", "alice", "10:14:59"), view("e2", "alice", "10:15:00"), view("e3", "alice", "10:29:00")));

    PAssert.that(counts)
        .containsInAnyOrder(
            count("10:00:00", "10:15:00", "alice", EventType.VIEW, 1),
            count("10:15:00", "10:30:00", "alice", EventType.VIEW, 2));
    pipeline.run();
  }

  @Test
  void slidingWindowsCountAnEventInEveryWindowThatHoldsIt(TestPipeline pipeline) {
    PCollection<WindowedCount> counts =
        countBatch(
            pipeline,
            new CountByUserAndType(ONE_HOUR, HALF_HOUR, Duration.ZERO),
            List.of(
                view("e1", "alice", "10:15:00"),
                view("e2", "alice", "10:45:00"),
                event("e3", "bob", EventType.SEARCH, "10:30:00")));

    PAssert.that(counts)
        .containsInAnyOrder(
            count("09:30:00", "10:30:00", "alice", EventType.VIEW, 1),
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 2),
            count("10:30:00", "11:30:00", "alice", EventType.VIEW, 1),
            count("10:00:00", "11:00:00", "bob", EventType.SEARCH, 1),
            count("10:30:00", "11:30:00", "bob", EventType.SEARCH, 1));
    pipeline.run();
  }

  @Test
  void countRowsCounterCountsOutputRows(TestPipeline pipeline) {
    PCollection<WindowedCount> counts =
        countBatch(
            pipeline,
            CountByUserAndType.fixed(ONE_HOUR),
            List.of(view("e1", "alice", "10:00:00"), view("e2", "alice", "10:01:00"), view("e3", "bob", "12:00:00")));
    PAssert.that(counts)
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 2),
            count("12:00:00", "13:00:00", "bob", EventType.VIEW, 1));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(2, TestEvents.counter(result, TallyMetrics.COUNT_ROWS));
  }

  // --- Streaming: panes and lateness ---

  @Test
  void lateEventsWithinAllowedLatenessUpdateTheCountAndLaterOnesAreDropped(TestPipeline pipeline) {
    TestStream<Event> events =
        TestStream.create(EventCoder.of())
            .advanceWatermarkTo(jodaAt("10:00:00"))
            .addElements(stamped(view("e1", "alice", "10:10:00")), stamped(view("e2", "alice", "10:20:00")))
            // Past the end of [10:00, 11:00): the on-time pane fires with 2.
            .advanceWatermarkTo(jodaAt("11:05:00"))
            // Late, but within 10 minutes of allowed lateness: a late pane with the new total.
            .addElements(stamped(view("e3", "alice", "10:30:00")))
            // Past the end plus the allowed lateness: the window is closed.
            .advanceWatermarkTo(jodaAt("11:20:00"))
            .addElements(stamped(view("e4", "alice", "10:40:00")))
            .advanceWatermarkToInfinity();

    PCollection<WindowedCount> counts =
        pipeline.apply(events).apply(new CountByUserAndType(ONE_HOUR, null, TEN_MINUTES));

    IntervalWindow window = window("10:00:00", "11:00:00");
    PAssert.that(counts)
        .inOnTimePane(window)
        .containsInAnyOrder(count("10:00:00", "11:00:00", "alice", EventType.VIEW, 2));
    PAssert.that(counts)
        .inLatePane(window)
        .containsInAnyOrder(count("10:00:00", "11:00:00", "alice", EventType.VIEW, 3));
    // Every pane of the window: the dropped event never produced a count of 4 (and, as nothing new arrived
    // before the window closed, Beam emits no further closing pane).
    PAssert.that(counts)
        .inWindow(window)
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 2),
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 3));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(2, TestEvents.counter(result, TallyMetrics.COUNT_ROWS));
  }

  @Test
  void withoutAllowedLatenessLateEventsAreDropped(TestPipeline pipeline) {
    TestStream<Event> events =
        TestStream.create(EventCoder.of())
            .advanceWatermarkTo(jodaAt("10:00:00"))
            .addElements(stamped(view("e1", "alice", "10:10:00")), stamped(view("e2", "bob", "10:20:00")))
            .advanceWatermarkTo(jodaAt("11:00:01"))
            .addElements(stamped(view("e3", "alice", "10:59:00")))
            .advanceWatermarkToInfinity();

    PCollection<WindowedCount> counts =
        pipeline.apply(events).apply(new CountByUserAndType(ONE_HOUR, null, Duration.ZERO));

    IntervalWindow window = window("10:00:00", "11:00:00");
    PAssert.that(counts)
        .inOnTimePane(window)
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 1),
            count("10:00:00", "11:00:00", "bob", EventType.VIEW, 1));
    PAssert.that(counts)
        .inWindow(window)
        .containsInAnyOrder(
            count("10:00:00", "11:00:00", "alice", EventType.VIEW, 1),
            count("10:00:00", "11:00:00", "bob", EventType.VIEW, 1));
    pipeline.run();
  }

  @Test
  void eachWindowFiresWhenTheWatermarkPassesItsEnd(TestPipeline pipeline) {
    TestStream<Event> events =
        TestStream.create(EventCoder.of())
            .advanceWatermarkTo(jodaAt("10:00:00"))
            .addElements(stamped(view("e1", "alice", "10:59:59.999")))
            .addElements(stamped(view("e2", "alice", "11:00:00")))
            .advanceWatermarkTo(jodaAt("11:00:00"))
            .addElements(stamped(view("e3", "alice", "11:30:00")))
            .advanceWatermarkToInfinity();

    PCollection<WindowedCount> counts =
        pipeline.apply(events).apply(new CountByUserAndType(ONE_HOUR, null, TEN_MINUTES));

    PAssert.that(counts)
        .inOnTimePane(window("10:00:00", "11:00:00"))
        .containsInAnyOrder(count("10:00:00", "11:00:00", "alice", EventType.VIEW, 1));
    PAssert.that(counts)
        .inOnTimePane(window("11:00:00", "12:00:00"))
        .containsInAnyOrder(count("11:00:00", "12:00:00", "alice", EventType.VIEW, 2));
    pipeline.run();
  }

  // --- Configuration ---

  @Test
  void windowSizeMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> CountByUserAndType.fixed(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> CountByUserAndType.fixed(Duration.standardMinutes(-1)));
    assertThrows(IllegalArgumentException.class, () -> CountByUserAndType.fixed(null));
  }

  @Test
  void windowPeriodMustBePositiveAndAtMostTheSize() {
    assertThrows(
        IllegalArgumentException.class, () -> new CountByUserAndType(ONE_HOUR, Duration.ZERO, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CountByUserAndType(ONE_HOUR, Duration.standardMinutes(-30), Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CountByUserAndType(ONE_HOUR, ONE_HOUR.plus(Duration.millis(1)), Duration.ZERO));
    assertDoesNotThrow(() -> new CountByUserAndType(ONE_HOUR, ONE_HOUR, Duration.ZERO));
  }

  @Test
  void allowedLatenessMustNotBeNegative() {
    assertThrows(
        IllegalArgumentException.class, () -> new CountByUserAndType(ONE_HOUR, null, Duration.millis(-1)));
    assertThrows(IllegalArgumentException.class, () -> new CountByUserAndType(ONE_HOUR, null, null));
    assertDoesNotThrow(() -> new CountByUserAndType(ONE_HOUR, null, Duration.ZERO));
  }
}
