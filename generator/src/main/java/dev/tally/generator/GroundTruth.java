package dev.tally.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a correct pipeline must output for generated records, computed straight from the generator's own account
 * of each record (user ids as the pipeline outputs them, Tally's event-type names, event times as read back from
 * the line): tests and the demo compare runs with it, for any schema.
 */
public final class GroundTruth {
  private GroundTruth() {}

  /** One row of the counts output. Ordered by window, user, then type. */
  public record CountKey(Instant windowStart, Instant windowEnd, String userId, String eventType)
      implements Comparable<CountKey> {
    @Override
    public int compareTo(CountKey other) {
      int byStart = windowStart.compareTo(other.windowStart);
      if (byStart != 0) {
        return byStart;
      }
      int byUser = userId.compareTo(other.userId);
      return byUser != 0 ? byUser : eventType.compareTo(other.eventType);
    }

    @Override
    public String toString() {
      return windowStart + "/" + windowEnd + " " + userId + " " + eventType;
    }
  }

  /**
   * Events per fixed event-time window (aligned to the epoch, as Beam's FixedWindows), user and event type,
   * counting each unique valid record once (late ones included, duplicates and invalid ones not).
   */
  public static Map<CountKey, Long> counts(List<GeneratedRecord> records, Duration windowSize) {
    long size = windowSize.toMillis();
    Map<CountKey, Long> counts = new TreeMap<>();
    for (GeneratedRecord record : records) {
      if (record.isUniqueValid()) {
        long start = Math.floorDiv(record.eventTime().toEpochMilli(), size) * size;
        counts.merge(
            new CountKey(
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + size),
                record.userId(),
                record.eventType()),
            1L,
            Long::sum);
      }
    }
    return counts;
  }

  /** The reason code each invalid record must be dead-lettered with, by its source position ({@code file:line}). */
  public static Map<String, String> deadLetterReasons(List<GeneratedRecord> records) {
    Map<String, String> reasons = new TreeMap<>();
    for (GeneratedRecord record : records) {
      if (record.kind() == RecordKind.INVALID) {
        reasons.put(record.sourcePosition(), record.reason().code());
      }
    }
    return reasons;
  }
}
