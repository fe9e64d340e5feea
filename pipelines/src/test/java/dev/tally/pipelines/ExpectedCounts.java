package dev.tally.pipelines;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The user_event_counts the streaming tests expect, worked out from the lines they wrote: one per distinct valid
 * event, in the fixed window of its time. Public for the runners module's streaming tests (pipelines' test-jar).
 */
public final class ExpectedCounts {
  private ExpectedCounts() {}

  /**
   * @param lines one line of the default schema's CSV per distinct valid event
   * @return {@code window_start|user|type -> count}
   */
  public static Map<String, Long> of(Collection<String> lines, Duration window) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : lines) {
      String[] columns = line.split(",", -1);
      long millis = Instant.parse(columns[3]).toEpochMilli();
      Instant windowStart = Instant.ofEpochMilli(millis - Math.floorMod(millis, window.toMillis()));
      counts.merge(windowStart + "|" + columns[1] + "|" + columns[2], 1L, Long::sum);
    }
    return counts;
  }
}
