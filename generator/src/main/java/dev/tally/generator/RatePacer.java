package dev.tally.generator;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a sequence of sends to a steady rate: send {@code i} is due {@code i / rate} seconds after the first, and
 * {@link #await} sleeps until it is. Scheduling against the start (not the previous send) keeps the average rate
 * exact even when single sleeps overshoot; a sender that falls behind catches up at full speed.
 */
final class RatePacer {
  /** Sleeps shorter than this are skipped: the next due time is checked again after the next send. */
  private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final double nanosPerEvent;
  private final long startNanos;

  /** @param eventsPerSecond the target rate; 0 for no pacing */
  RatePacer(double eventsPerSecond) {
    if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException("rate (--rate) must be a number >= 0, got " + eventsPerSecond);
    }
    this.nanosPerEvent = eventsPerSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / eventsPerSecond;
    this.startNanos = System.nanoTime();
  }

  /** Waits until send {@code index} (0-based) is due. */
  void await(long index) {
    if (nanosPerEvent == 0) {
      return;
    }
    long due = startNanos + (long) (index * nanosPerEvent);
    long wait;
    while ((wait = due - System.nanoTime()) >= MIN_SLEEP_NANOS) {
      LockSupport.parkNanos(wait);
    }
  }
}
