package dev.tally.transforms;

import static dev.tally.transforms.TestEvents.event;
import static dev.tally.transforms.TestEvents.stamped;
import static dev.tally.transforms.TestEvents.withDevice;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.model.Event;
import dev.tally.model.EventCoder;
import dev.tally.model.EventField;
import dev.tally.model.EventType;
import dev.tally.testing.TestPipelineExtension;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class DeduplicateEventsTest {
  private static final Duration ONE_HOUR = Duration.standardHours(1);

  private static PCollection<Event> deduplicate(TestPipeline pipeline, List<Event> events) {
    return pipeline
        .apply(Create.timestamped(stamped(events)))
        .apply(new DeduplicateEvents(ONE_HOUR, Duration.ZERO));
  }

  /** {@code eventId|device@timestamp}: which copy was kept, and the timestamp it carries. */
  private static PCollection<String> keptWithTimestamps(PCollection<Event> events) {
    return events.apply(
        "KeptWithTimestamps",
        ParDo.of(
            new DoFn<Event, String>() {
              @ProcessElement
              public void processElement(
                  @Element Event event, @Timestamp Instant timestamp, OutputReceiver<String> out) {
                out.output(event.eventId() + "|" + TestEvents.value(event, EventField.DEVICE) + "@" + timestamp);
              }
            }));
  }

  @Test
  void threeCopiesOfOneEventAreKeptOnceAndUniqueEventsPassThrough(TestPipeline pipeline) {
    Event copied = event("e1", "alice", EventType.VIEW, "10:15:30.123");
    Event other = event("e2", "alice", EventType.VIEW, "10:15:30.123");
    Event later = event("e3", "bob", EventType.LOGIN, "11:30:00");

    PCollection<Event> unique = deduplicate(pipeline, List.of(copied, other, copied, later, copied));

    PAssert.that(unique).containsInAnyOrder(copied, other, later);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(3, TestEvents.counter(result, TallyMetrics.VALID));
    assertEquals(2, TestEvents.counter(result, TallyMetrics.DUPLICATES));
  }

  @Test
  void ofCopiesThatDifferTheEarliestEventTimeIsKept(TestPipeline pipeline) {
    Event first = withDevice(event("e1", "alice", EventType.VIEW, "10:00:01"), "ios");
    Event second = withDevice(event("e1", "alice", EventType.VIEW, "10:00:05"), "web");
    Event third = withDevice(event("e1", "alice", EventType.VIEW, "10:59:59.999"), "tv");

    PCollection<Event> unique = deduplicate(pipeline, List.of(second, third, first));

    PAssert.that(unique).containsInAnyOrder(first);
    PAssert.that(keptWithTimestamps(unique)).containsInAnyOrder("e1|ios@2026-11-23T10:00:01.000Z");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(1, TestEvents.counter(result, TallyMetrics.VALID));
    assertEquals(2, TestEvents.counter(result, TallyMetrics.DUPLICATES));
  }

  @Test
  void ofCopiesWithTheSameEventTimeTheSameOneIsKeptWhateverTheInputOrder(TestPipeline pipeline) {
    Event a = withDevice(event("e1", "alice", EventType.VIEW, "10:20:00"), "a");
    Event b = withDevice(event("e1", "alice", EventType.VIEW, "10:20:00"), "b");
    Event c = withDevice(event("e2", "bob", EventType.VIEW, "10:20:00"), "c");
    Event d = withDevice(event("e2", "bob", EventType.VIEW, "10:20:00"), "d");

    // The value's text breaks the tie: the values list holding device "a" sorts before the one holding "b".
    PCollection<Event> unique = deduplicate(pipeline, List.of(b, a, c, d));

    PAssert.that(unique).containsInAnyOrder(a, c);
    pipeline.run();
  }

  @Test
  void keptEventsKeepTheirEventTimeAsTimestamp(TestPipeline pipeline) {
    Event view = withDevice(event("e1", "alice", EventType.VIEW, "10:15:30.123"), "web");
    Event login = withDevice(event("e2", "bob", EventType.LOGIN, "23:59:59.999"), "ios");

    PCollection<Event> unique = deduplicate(pipeline, List.of(view, login, login));

    PAssert.that(keptWithTimestamps(unique))
        .containsInAnyOrder("e1|web@2026-11-23T10:15:30.123Z", "e2|ios@2026-11-23T23:59:59.999Z");
    pipeline.run();
  }

  @Test
  void copiesInDifferentWindowsAreNotRecognised(TestPipeline pipeline) {
    // Documented limit: copies share their event time, so only copies within one window are compared.
    Event beforeTheHour = withDevice(event("e1", "alice", EventType.VIEW, "10:59:59.999"), "web");
    Event afterTheHour = withDevice(event("e1", "alice", EventType.VIEW, "11:00:00"), "web");

    PCollection<Event> unique = deduplicate(pipeline, List.of(beforeTheHour, afterTheHour));

    PAssert.that(unique).containsInAnyOrder(beforeTheHour, afterTheHour);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(2, TestEvents.counter(result, TallyMetrics.VALID));
    assertEquals(0, TestEvents.counter(result, TallyMetrics.DUPLICATES));
  }

  @Test
  void noEventsNoOutputAndNoCounts(TestPipeline pipeline) {
    PCollection<Event> unique =
        pipeline
            .apply(Create.empty(EventCoder.of()))
            .apply(new DeduplicateEvents(ONE_HOUR, Duration.ZERO));

    PAssert.that(unique).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(0, TestEvents.counter(result, TallyMetrics.VALID));
    assertEquals(0, TestEvents.counter(result, TallyMetrics.DUPLICATES));
  }
}
