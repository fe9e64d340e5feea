package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SustainedRuleTest {
  private final SustainedRule rule = new SustainedRule(0.95, Duration.ofSeconds(5));

  @Test
  void keepingUpIsSustained() {
    assertEquals(new SustainedRule.Verdict(true, ""), rule.decide(10_000, 9_990, 9_600, 50_000, true));
    assertEquals("yes", rule.decide(10_000, 9_990, 9_600, 50_000, true).cell());
  }

  @Test
  void aProducerBelowTheRateSaysNothingAboutThePipeline() {
    assertEquals("no: the producer sent only 9,000/s", rule.decide(10_000, 9_000, 9_000, 0, true).cell());
  }

  @Test
  void storingSlowerThanSendingIsNotSustained() {
    assertEquals("no: stored 94% of the sent rate", rule.decide(10_000, 10_000, 9_400, 0, true).cell());
  }

  @Test
  void aLagAboveTheLimitAtTheEndIsNotSustained() {
    assertEquals("no: lag 50,001 > 50,000 (5s of input)", rule.decide(10_000, 10_000, 10_000, 50_001, true).cell());
  }

  @Test
  void eventsNeverStoredAreNotSustained() {
    assertEquals("no: not every event was stored", rule.decide(10_000, 10_000, 10_000, 0, false).cell());
  }
}
