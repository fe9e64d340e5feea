package dev.tally.pipelines.io.postgres;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Duration;

/**
 * The event-time windows an event belongs to, computed from its time alone, exactly as Beam's FixedWindows and
 * SlidingWindows (offset zero) assign them. The streaming sink uses this instead of Beam windows so that no
 * watermark can drop an event as late: a window's count is simply the number of stored events in it.
 */
public final class EventWindows implements Serializable {
  private final long sizeMillis;
  private final long periodMillis;

  /**
   * @param size window length, positive
   * @param period how often a sliding window starts, at most {@code size}; null for fixed windows
   */
  public EventWindows(Duration size, Duration period) {
    if (size == null || !size.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("windowSize must be positive, got " + size);
    }
    if (period != null && (!period.isLongerThan(Duration.ZERO) || period.isLongerThan(size))) {
      throw new IllegalArgumentException(
          "windowPeriod must be positive and at most windowSize (" + size + "), got " + period);
    }
    this.sizeMillis = size.getMillis();
    this.periodMillis = period == null ? size.getMillis() : period.getMillis();
  }

  /** One window [start, end). */
  public record Window(Instant start, Instant end) {}

  /** The windows containing {@code eventTime}, latest start first. */
  public List<Window> of(Instant eventTime) {
    long time = eventTime.toEpochMilli();
    long lastStart = time - Math.floorMod(time, periodMillis);
    List<Window> windows = new ArrayList<>((int) (sizeMillis / periodMillis) + 1);
    for (long start = lastStart; start > time - sizeMillis; start -= periodMillis) {
      windows.add(new Window(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + sizeMillis)));
    }
    return windows;
  }
}
