package dev.tally.runners.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.generator.GroundTruth.CountKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How runs are judged and shown: equal counts, a differing run, a failed run, and the checksum's definition. */
class ComparisonOutcomeTest {
  private static final Instant HOUR = Instant.parse("2026-11-23T10:00:00Z");
  private static final CountKey ALICE_VIEWS = new CountKey(HOUR, HOUR.plusSeconds(3600), "alice", "view");
  private static final CountKey BOB_LOGINS = new CountKey(HOUR, HOUR.plusSeconds(3600), "bob", "login");
  private static final Counts RIGHT = Counts.of(Map.of(ALICE_VIEWS, 3L, BOB_LOGINS, 1L));
  private static final Counts WRONG = Counts.of(Map.of(ALICE_VIEWS, 3L, BOB_LOGINS, 2L));

  @Test
  void runsThatCountTheSameAgree() {
    Comparison.Outcome outcome =
        new Comparison.Outcome(List.of(run("direct", RIGHT, 20), run("flink", RIGHT, 10)), RIGHT, 400);
    assertTrue(outcome.allAgree());
    assertEquals(
        """
        runner             wall time  events/s  count rows  checksum (SHA-256)  equal
        direct                20.0 s        20           2  %1$s    yes
        flink                 10.0 s        40           2  %1$s    yes
        generator's truth                                2  %1$s    yes
        """.formatted(RIGHT.checksum().substring(0, 16)),
        outcome.table());
  }

  @Test
  void aRunThatCountsDifferentlyIsNamedOnEveryRow() {
    Comparison.Outcome outcome =
        new Comparison.Outcome(List.of(run("direct", RIGHT, 20), run("flink", WRONG, 10)), RIGHT, 400);
    assertFalse(outcome.allAgree());
    assertEquals(List.of("flink"), outcome.differences().get("direct"));
    assertEquals(List.of("direct", Comparison.EXPECTED), outcome.differences().get("flink"));
    assertTrue(outcome.table().contains("NO: differs from direct, generator's truth"), outcome.table());
  }

  @Test
  void aFailedRunIsNoAgreement() {
    LegResult failed = new LegResult("spark-cluster", 1, Duration.ofSeconds(5), null, Path.of("/tmp/x.log"));
    Comparison.Outcome outcome = new Comparison.Outcome(List.of(run("direct", RIGHT, 20), failed), null, 400);
    assertFalse(outcome.allAgree());
    String row = outcome.table().lines().filter(line -> line.startsWith("spark-cluster")).findFirst().orElseThrow();
    assertEquals(List.of("spark-cluster", "5.0", "s", "FAILED:", "exit", "code", "1;", "output", "in", "/tmp/x.log"),
        List.of(row.split(" +")));
  }

  @Test
  void theChecksumIsTheSha256OfTheRowsInOrder() {
    // printf '1795428000000,1795431600000,alice,view,3\n1795428000000,1795431600000,bob,login,1\n' | sha256sum
    assertEquals("ccb81f3bf39a329fa339bfaa5896989ad76df99b4ef22546095da770c0d1de10", RIGHT.checksum());
    assertEquals(4, RIGHT.events());
  }

  private static LegResult run(String leg, Counts counts, int seconds) {
    return new LegResult(leg, 0, Duration.ofSeconds(seconds), counts, Path.of("/tmp/" + leg + ".log"));
  }
}
