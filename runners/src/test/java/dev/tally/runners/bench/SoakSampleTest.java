package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A soak's rows: fixed-width columns, so that rows printed one by one line up under the header. */
class SoakSampleTest {
  @Test
  void theHeaderAndARowLineUp() {
    SoakSample producing = new SoakSample(30, 15_000, 13_500, new HeapUsage(200 * 1024, 512 * 1024), "3.10 4.00 5.20", true);
    SoakSample drain = new SoakSample(605, 300_000, 300_000, null, "12.50 9.75 8.00", false);

    assertEquals(1_500, producing.lag());
    assertEquals(0, drain.lag());
    assertEquals("elapsed     produced       stored        lag  heap used / committed  load average      phase",
        SoakSample.headerLine());
    assertEquals("   0:30       15,000       13,500      1,500           200 / 512 MB  3.10 4.00 5.20    producing",
        producing.line());
    assertEquals("  10:05      300,000      300,000          0                      ?  12.50 9.75 8.00   drain",
        drain.line());
  }
}
