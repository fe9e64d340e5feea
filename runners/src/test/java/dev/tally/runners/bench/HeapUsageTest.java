package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading a JVM's heap from jstat -gc. */
class HeapUsageTest {
  /** jstat -gc of a G1 JVM on this machine (JDK 17), as printed. */
  private static final String G1 = """
          S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT  \s
              0.0      1024.0         0.0       657.7      34816.0       5120.0      43008.0      21963.5    33984.0    33710.9    4736.0    4584.5      7     0.080     0     0.000     2     0.004     0.084
      """;

  @Test
  void usedIsSurvivorsEdenAndOldUsedAndCommittedTheirCapacities() {
    HeapUsage heap = HeapUsage.parseJstatGc(G1);
    assertEquals(0.0 + 657.7 + 5120.0 + 21963.5, heap.usedKb(), 1e-9);
    // The same total jcmd GC.heap_info printed for that JVM: "garbage-first heap total 78848K".
    assertEquals(78848.0, heap.committedKb(), 1e-9);
    assertEquals("27 / 77 MB", heap.cell());
  }

  @Test
  void aColumnJstatCannotFillCountsAsZero() {
    HeapUsage heap = HeapUsage.parseJstatGc("S0C S1C S0U S1U EC EU OC OU\n- - - - 2048.0 1024.0 4096.0 512.0\n");
    assertEquals(1536.0, heap.usedKb(), 1e-9);
    assertEquals(6144.0, heap.committedKb(), 1e-9);
    assertEquals("2 / 6 MB", heap.cell());
  }

  @Test
  void otherOutputIsRefusedWithWhatIsWrong() {
    assertEquals("not jstat -gc output (a header and one line of values): 123 not found",
        assertThrows(IllegalArgumentException.class, () -> HeapUsage.parseJstatGc("123 not found\n")).getMessage());
    assertEquals("jstat -gc: no column OU in [S0C, S1C, S0U, S1U, EC, EU, OC]",
        assertThrows(IllegalArgumentException.class,
            () -> HeapUsage.parseJstatGc("S0C S1C S0U S1U EC EU OC\n1 1 1 1 1 1 1")).getMessage());
    assertEquals("jstat -gc: 8 columns but 7 values", assertThrows(IllegalArgumentException.class,
        () -> HeapUsage.parseJstatGc("S0C S1C S0U S1U EC EU OC OU\n1 1 1 1 1 1 1")).getMessage());
    assertEquals("jstat -gc: column EU is not a number: 1,5", assertThrows(IllegalArgumentException.class,
        () -> HeapUsage.parseJstatGc("S0C S1C S0U S1U EC EU OC OU\n1 1 1 1 1 1,5 1 1")).getMessage());
  }

  @Test
  void readsALiveJvmAndSaysWhyNotForAnEndedOne() throws Exception {
    Path javaHome = Path.of(System.getProperty("java.home"));
    HeapUsage own = HeapUsage.read(javaHome, ProcessHandle.current().pid());
    long maxKb = Runtime.getRuntime().maxMemory() / 1024;
    assertTrue(own.usedKb() > 0 && own.usedKb() <= own.committedKb() && own.committedKb() <= maxKb,
        "used " + own.usedKb() + " KB, committed " + own.committedKb() + " KB, max " + maxKb + " KB");

    Process ended = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-version").start();
    ended.waitFor();
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> HeapUsage.read(javaHome, ended.pid()));
    assertEquals(javaHome.resolve("bin/jstat") + " -gc " + ended.pid() + " failed: sun.jvmstat.monitor.MonitorException: "
        + ended.pid() + " not found",
        error.getMessage());
  }
}
