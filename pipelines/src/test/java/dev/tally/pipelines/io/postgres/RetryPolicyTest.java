package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void waitsDoubleUpToTheCapAndTheLastOneEndsAtTheBudget() {
    AtomicLong clock = new AtomicLong(1_000);
    RetryPolicy.Retries retries = RetryPolicy.withBudget(Duration.ofSeconds(30)).afterFirstFailure(clock::get);
    List<Long> waits = new ArrayList<>();
    for (Optional<Duration> wait = retries.nextWait(); wait.isPresent(); wait = retries.nextWait()) {
      waits.add(wait.get().toMillis());
      clock.addAndGet(wait.get().toNanos() + 1_000_000); // each failed attempt itself takes 1 ms
    }
    // 0.25 + 0.5 + 1 + 2 + 4 + 4 * 5 = 27.75 s slept + 9 ms of attempts; the rest of the 30 s is the last wait.
    assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 5000L, 5000L, 5000L, 5000L, 2241L), waits);
    assertEquals(11, retries.failures());
    assertEquals(Duration.ofMillis(30_001), retries.elapsed());
  }

  @Test
  void aZeroBudgetNeverRetries() {
    RetryPolicy.Retries retries = RetryPolicy.withBudget(Duration.ZERO).afterFirstFailure(() -> 0L);
    assertTrue(retries.nextWait().isEmpty());
    assertEquals(1, retries.failures());
  }

  @Test
  void refusesBackoffsThatCannotWork() {
    assertThrows(IllegalArgumentException.class,
        () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
