package dev.tally.pipelines.io.postgres;

import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How long the streaming sink keeps retrying a failed PostgreSQL transaction: capped exponential backoff within a
 * total time budget ({@code --jdbcRetryTime}). The budget, not a number of attempts, is what the user chooses,
 * because what it must outlast is an outage of some length (a restart, a failover), however fast each failed
 * attempt is: a refused connection fails in a millisecond, a dropped one only after the driver notices.
 *
 * @param budget how long after the first failure the last attempt may start
 * @param firstBackoff the wait after the first failure; it doubles after each further one
 * @param maxBackoff the longest wait between two attempts, so the sink notices soon that PostgreSQL is back
 */
public record RetryPolicy(Duration budget, Duration firstBackoff, Duration maxBackoff) implements Serializable {
  /** What {@code --jdbcRetryTime} defaults to: longer than a PostgreSQL restart or a managed failover. */
  public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(5);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  public RetryPolicy {
    if (budget.isNegative() || firstBackoff.isNegative() || firstBackoff.isZero()
        || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("need budget >= 0 and 0 < firstBackoff <= maxBackoff, got "
          + budget + ", " + firstBackoff + ", " + maxBackoff);
    }
  }

  /** Retries for {@code budget}, waiting 0.25 s after the first failure, doubling up to 5 s. */
  public static RetryPolicy withBudget(Duration budget) {
    return new RetryPolicy(budget, FIRST_BACKOFF, MAX_BACKOFF);
  }

  /** Starts timing the retries of one operation, which has just failed for the first time. */
  Retries afterFirstFailure() {
    return afterFirstFailure(System::nanoTime);
  }

  /** As {@link #afterFirstFailure()}, timed by {@code nanoTime} (tests pass their own clock). */
  Retries afterFirstFailure(LongSupplier nanoTime) {
    return new Retries(nanoTime);
  }

  /** The retries of one operation: how long to wait before each, until the budget is spent. */
  final class Retries {
    private final LongSupplier nanoTime;
    private final long firstFailure;
    private Duration backoff = firstBackoff;
    private int waits;

    private Retries(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
      this.firstFailure = nanoTime.getAsLong();
    }

    /** Failed attempts so far: the first, and one after each wait given. */
    int failures() {
      return waits + 1;
    }

    /** Time since the first failure. */
    Duration elapsed() {
      return Duration.ofNanos(nanoTime.getAsLong() - firstFailure);
    }

    /**
     * The wait before the next attempt, or empty once the budget is spent. The last wait is shortened so that the
     * last attempt starts when the budget ends.
     */
    Optional<Duration> nextWait() {
      Duration remaining = budget.minus(elapsed());
      if (remaining.isNegative() || remaining.isZero()) {
        return Optional.empty();
      }
      Duration wait = min(backoff, remaining);
      backoff = min(backoff.multipliedBy(2), maxBackoff);
      waits++;
      return Optional.of(wait);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
