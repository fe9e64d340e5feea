package dev.tally.runners.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stream benchmark run second by second: how many events were sent and how many rows were stored in each second
 * after the measured phase began. Sent counts come from the rows' event times (the moment of sending), stored
 * counts from their insert times, so once every event is stored both are exact; lag is their running difference.
 *
 * @param sent events sent in second {@code s} of the run (index s)
 * @param stored rows stored in second {@code s} of the run (index s); usually longer than sent (the drain)
 */
public record StreamTimeline(long[] sent, long[] stored) {

  /** From {@code second -> count} maps (seconds from the start of the measured phase, never negative). */
  public static StreamTimeline of(Map<Integer, Long> sentPerSecond, Map<Integer, Long> storedPerSecond) {
    return new StreamTimeline(toArray(sentPerSecond), toArray(storedPerSecond));
  }

  private static long[] toArray(Map<Integer, Long> perSecond) {
    int length = perSecond.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    long[] counts = new long[length];
    perSecond.forEach(
        (second, count) -> {
          if (second < 0) {
            throw new IllegalArgumentException("second " + second + " is before the run began");
          }
          counts[second] += count;
        });
    return counts;
  }

  /** Events sent per second over seconds [from, to). */
  public double sentRate(int from, int to) {
    return rate(sent, from, to);
  }

  /** Rows stored per second over seconds [from, to). */
  public double storedRate(int from, int to) {
    return rate(stored, from, to);
  }

  /** Sent minus stored at the end of second {@code second - 1}, i.e. {@code second} seconds into the run. */
  public long lagAt(int second) {
    return sum(sent, 0, second) - sum(stored, 0, second);
  }

  /** Every event sent. */
  public long totalSent() {
    return sum(sent, 0, sent.length);
  }

  /** Every row stored. */
  public long totalStored() {
    return sum(stored, 0, stored.length);
  }

  /** {@code [second, lag]} every {@code step} seconds from 0 to {@code until} (inclusive, also when off-step). */
  public List<long[]> lagEvery(int step, int until) {
    if (step < 1) {
      throw new IllegalArgumentException("step must be at least 1 second, got " + step);
    }
    List<long[]> lags = new ArrayList<>();
    for (int second = 0; second < until; second += step) {
      lags.add(new long[] {second, lagAt(second)});
    }
    lags.add(new long[] {until, lagAt(until)});
    return lags;
  }

  private static double rate(long[] counts, int from, int to) {
    if (to <= from) {
      throw new IllegalArgumentException("empty interval [" + from + ", " + to + ")");
    }
    return (double) sum(counts, from, to) / (to - from);
  }

  private static long sum(long[] counts, int from, int to) {
    long total = 0;
    for (int second = Math.max(0, from); second < Math.min(to, counts.length); second++) {
      total += counts[second];
    }
    return total;
  }
}
