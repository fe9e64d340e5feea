package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a soak's lag or heap grew: first third against last third. */
class GrowthVerdictTest {
  @Test
  void aSteadyNoisySeriesHasNotGrown() {
    // Thirds of 9 samples: [100, 300, 200], [250, 150, 200], [300, 100, 200].
    GrowthVerdict lag = GrowthVerdict.of(List.of(100.0, 300.0, 200.0, 250.0, 150.0, 200.0, 300.0, 100.0, 200.0),
        GrowthVerdict.MEAN, 1.5, 50);
    assertEquals(new GrowthVerdict(200, 200, false), lag);
    assertEquals("200 in the first third, 200 in the last: steady", lag.describe("%,.0f"));
  }

  @Test
  void aRisingSeriesGrewWhenItPassesBothTheRatioAndTheMargin() {
    List<Double> rising = List.of(1000.0, 1200.0, 1400.0, 1600.0, 1800.0, 2000.0);
    GrowthVerdict grew = GrowthVerdict.of(rising, GrowthVerdict.MEAN, 1.5, 500);
    assertEquals(new GrowthVerdict(1100, 1900, true), grew);
    assertEquals("1,100 in the first third, 1,900 in the last: GREW", grew.describe("%,.0f"));
    // Above 1.5x, but by less than the margin: noise, not growth.
    assertEquals(new GrowthVerdict(1100, 1900, false), GrowthVerdict.of(rising, GrowthVerdict.MEAN, 1.5, 800));
    // Above the margin, but not above the ratio.
    assertEquals(new GrowthVerdict(1100, 1900, false), GrowthVerdict.of(rising, GrowthVerdict.MEAN, 1.8, 500));
  }

  @Test
  void theLowestSampleOfEachThirdIgnoresTheSawTooth() {
    // A heap's saw-tooth whose troughs stay at 200 MB while its peaks climb: steady.
    List<Double> sawTooth = List.of(200.0, 900.0, 205.0, 1000.0, 210.0, 1100.0, 200.0, 1200.0, 204.0);
    assertEquals(new GrowthVerdict(200, 200, false), GrowthVerdict.of(sawTooth, GrowthVerdict.LOWEST, 1.25, 64));
    // Troughs that climb from 200 to 400 MB: grew.
    List<Double> leak = List.of(200.0, 900.0, 250.0, 1000.0, 300.0, 1100.0, 400.0, 1200.0, 450.0);
    assertEquals(new GrowthVerdict(200, 400, true), GrowthVerdict.of(leak, GrowthVerdict.LOWEST, 1.25, 64));
  }

  @Test
  void aSampleCountNotDivisibleByThreeLeavesTheMiddleOut() {
    // 7 samples: thirds of 2, [1, 3] and [8, 10]; the three 5s in the middle are in neither.
    assertEquals(new GrowthVerdict(2, 9, true),
        GrowthVerdict.of(List.of(1.0, 3.0, 5.0, 5.0, 5.0, 8.0, 10.0), GrowthVerdict.MEAN, 1.5, 1));
  }

  @Test
  void fewerThanThreeSamplesCannotBeSplit() {
    assertEquals("need at least 3 samples, got 2", assertThrows(IllegalArgumentException.class,
        () -> GrowthVerdict.of(List.of(1.0, 2.0), GrowthVerdict.MEAN, 1.5, 0)).getMessage());
  }
}
