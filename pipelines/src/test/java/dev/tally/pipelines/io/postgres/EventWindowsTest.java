package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The streaming sink's windows are the ones Beam's FixedWindows and SlidingWindows assign, for any time. */
class EventWindowsTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);

  @Test
  void fixedWindowsAreBeamsOnBoundariesAndContainTheTimeBeforeTheEpoch() {
    EventWindows windows = new EventWindows(MINUTE, null);
    assertEquals(
        List.of(new EventWindows.Window(Instant.parse("2024-05-01T10:15:00Z"), Instant.parse("2024-05-01T10:16:00Z"))),
        windows.of(Instant.parse("2024-05-01T10:15:00Z")));
    assertEquals(
        List.of(new EventWindows.Window(Instant.parse("1969-12-31T23:59:00Z"), Instant.parse("1970-01-01T00:00:00Z"))),
        windows.of(Instant.parse("1969-12-31T23:59:59.999Z")));
    FixedWindows beam = FixedWindows.of(Duration.standardMinutes(7));
    EventWindows seven = new EventWindows(Duration.standardMinutes(7), null);
    for (long millis : randomTimes()) {
      assertEquals(List.of(toWindow(beam.assignWindow(new org.joda.time.Instant(millis)))),
          seven.of(Instant.ofEpochMilli(millis)), "at " + millis);
    }
  }

  @Test
  void slidingWindowsAreBeamsForPeriodsThatDivideTheSizeOrNot() {
    for (long[] sizeAndPeriod : new long[][] {{60_000, 15_000}, {60_000, 60_000}, {3_600_000, 700_000}, {10, 3}}) {
      Duration size = Duration.millis(sizeAndPeriod[0]);
      Duration period = Duration.millis(sizeAndPeriod[1]);
      SlidingWindows beam = SlidingWindows.of(size).every(period);
      EventWindows windows = new EventWindows(size, period);
      for (long millis : randomTimes()) {
        List<EventWindows.Window> expected = new ArrayList<>();
        for (IntervalWindow window : beam.assignWindows(new org.joda.time.Instant(millis))) {
          expected.add(toWindow(window));
        }
        expected.sort(Comparator.comparing(EventWindows.Window::start).reversed());
        assertEquals(expected, windows.of(Instant.ofEpochMilli(millis)), size + "/" + period + " at " + millis);
      }
    }
  }

  @Test
  void refusesSizesAndPeriodsBeamWouldRefuse() {
    assertThrows(IllegalArgumentException.class, () -> new EventWindows(Duration.ZERO, null));
    assertThrows(IllegalArgumentException.class, () -> new EventWindows(MINUTE, Duration.standardMinutes(2)));
    assertThrows(IllegalArgumentException.class, () -> new EventWindows(MINUTE, Duration.ZERO));
  }

  private static List<Long> randomTimes() {
    Random random = new Random(3);
    // From 1970 on: before it, Beam's remainder arithmetic assigns windows that do not contain the time.
    List<Long> times = new ArrayList<>(List.of(0L, 1L, 59_999L, 60_000L));
    for (int i = 0; i < 500; i++) {
      times.add(Math.floorMod(random.nextLong(), 4_000_000_000_000L));
    }
    return times;
  }

  private static EventWindows.Window toWindow(IntervalWindow window) {
    return new EventWindows.Window(
        Instant.ofEpochMilli(window.start().getMillis()), Instant.ofEpochMilli(window.end().getMillis()));
  }
}
