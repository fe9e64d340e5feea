package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamTimelineTest {
  // 100 events/s for 4 s; stored 50, 100, 100, 100 in seconds 1-4 and the last 50 in second 5.
  private final StreamTimeline timeline = StreamTimeline.of(
      Map.of(0, 100L, 1, 100L, 2, 100L, 3, 100L),
      Map.of(1, 50L, 2, 100L, 3, 100L, 4, 100L, 5, 50L));

  @Test
  void lagIsSentMinusStoredSoFar() {
    assertEquals(0, timeline.lagAt(0));
    assertEquals(100, timeline.lagAt(1));
    assertEquals(150, timeline.lagAt(2));
    assertEquals(150, timeline.lagAt(4));
    assertEquals(50, timeline.lagAt(5));
    assertEquals(0, timeline.lagAt(6));
    assertEquals(0, timeline.lagAt(100));
  }

  @Test
  void ratesAreCountsPerSecondOverTheInterval() {
    assertEquals(100.0, timeline.sentRate(1, 4));
    assertEquals(250.0 / 3, timeline.storedRate(1, 4));
    assertEquals(25.0, timeline.storedRate(5, 7));
    assertEquals(400, timeline.totalSent());
    assertEquals(400, timeline.totalStored());
    assertThrows(IllegalArgumentException.class, () -> timeline.sentRate(3, 3));
  }

  @Test
  void lagEveryStepEndsAtTheLastSecond() {
    List<long[]> lag = timeline.lagEvery(2, 5);
    assertEquals(4, lag.size());
    assertArrayEquals(new long[] {0, 0}, lag.get(0));
    assertArrayEquals(new long[] {2, 150}, lag.get(1));
    assertArrayEquals(new long[] {4, 150}, lag.get(2));
    assertArrayEquals(new long[] {5, 50}, lag.get(3));
  }

  @Test
  void secondsBeforeTheStartAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> StreamTimeline.of(Map.of(-1, 1L), Map.of()));
  }
}
