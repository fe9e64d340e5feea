package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

class RateStepsTest {
  /** The rates a search runs against a pipeline that sustains what {@code sustains} accepts. */
  private static List<Double> run(RateSteps steps, DoublePredicate sustains) {
    List<Double> rates = new ArrayList<>();
    for (OptionalDouble next = steps.next(); next.isPresent(); next = steps.next()) {
      rates.add(next.getAsDouble());
      steps.record(next.getAsDouble(), sustains.test(next.getAsDouble()));
    }
    return rates;
  }

  @Test
  void aFixedListRunsEveryRateInOrder() {
    RateSteps steps = RateSteps.of(List.of(2000.0, 5000.0, 10000.0, 20000.0));
    assertEquals(List.of(2000.0, 5000.0, 10000.0, 20000.0), run(steps, rate -> rate <= 5000));
    assertEquals(OptionalDouble.of(5000), steps.highestSustained());
  }

  @Test
  void findMaxDoublesUntilAFailureThenTriesTheMidpoint() {
    RateSteps steps = RateSteps.findMax(1000, 100_000, 1);
    assertEquals(List.of(1000.0, 2000.0, 4000.0, 8000.0, 6000.0), run(steps, rate -> rate <= 6500));
    assertEquals(OptionalDouble.of(6000), steps.highestSustained());
  }

  @Test
  void findMaxStopsAtTheMaximumRate() {
    RateSteps steps = RateSteps.findMax(3000, 10_000, 1);
    assertEquals(List.of(3000.0, 6000.0), run(steps, rate -> true));
    assertEquals(OptionalDouble.of(6000), steps.highestSustained());
  }

  @Test
  void nothingSustainedEndsTheSearch() {
    RateSteps steps = RateSteps.findMax(2000, 100_000, 2);
    assertEquals(List.of(2000.0), run(steps, rate -> false));
    assertEquals(OptionalDouble.empty(), steps.highestSustained());
  }

  @Test
  void aSustainedRunAboveAFailedOneIsNoise() {
    RateSteps steps = RateSteps.of(List.of(2000.0, 5000.0, 10000.0));
    run(steps, rate -> rate != 5000);
    assertEquals(OptionalDouble.of(2000), steps.highestSustained());
  }
}
