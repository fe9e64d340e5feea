package dev.tally.runners.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The benchmark's SQL on rows with known send and insert times (no timing involved). */
class StreamBenchDatabaseTest {
  private static final long START = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();

  @Test
  void latencyPercentilesAndRowsPerSecondComeFromEventAndInsertTimes() throws Exception {
    try (TestPostgres server = TestPostgres.withNewSchema()) {
      String name = "bench_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      // The database without the test's schema: the benchmark makes its own.
      StreamBenchDatabase database =
          new StreamBenchDatabase(new PostgresTarget(TestPostgres.URL, TestPostgres.USER, server.password), name);
      database.create();
      try {
        // 100 events sent at START + i * 20 ms, each stored (i + 1) * 10 ms later: latencies 10, 20, ..., 1000 ms.
        // One earlier event (a warm-up) is left out of everything measured from START.
        insert(database, "warm-up", START - 5_000, START - 4_000);
        for (int i = 0; i < 100; i++) {
          long sent = START + i * 20L;
          insert(database, "e" + i, sent, sent + (i + 1) * 10L);
        }

        assertEquals(101, database.storedRows());
        StreamBenchDatabase.Latency all = database.latency(START, START + 2_000);
        assertEquals(100, all.rows());
        // percentile_cont: 0.5 -> between the 50th and 51st value (500, 510); 0.95 -> 94.05th; 0.99 -> 98.01th.
        assertEquals(505.0, all.p50(), 1e-6);
        assertEquals(950.5, all.p95(), 1e-6);
        assertEquals(990.1, all.p99(), 1e-6);
        assertEquals(1000.0, all.max(), 1e-6);
        // Events sent in the first second: i < 50.
        assertEquals(50, database.latency(START, START + 1_000).rows());

        assertEquals(Map.of(0, 50L, 1, 50L), database.sentPerSecond(START));
        // Stored at sent + (i + 1) * 10 = START + 30 i + 10: second 0 for i <= 32, 1 for 33-66, 2 for 67-99.
        assertEquals(Map.of(0, 33L, 1, 34L, 2, 33L), database.storedPerSecond(START));
        long[] bounds = database.firstSentLastStored(START).orElseThrow();
        assertEquals(START, bounds[0]);
        assertEquals(START + 99 * 20 + 1000, bounds[1]);
        assertTrue(database.firstSentLastStored(START + 60_000).isEmpty());
      } finally {
        database.drop();
      }
      assertEquals(List.of(List.of(0L)),
          server.query("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + name + "'"));
    }
  }

  private static void insert(StreamBenchDatabase database, String id, long sentMillis, long storedMillis)
      throws Exception {
    try (Connection connection = database.target().connect();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO user_events (event_id, user_id,"
            + " event_type, event_time, bench_stored_at) VALUES (?, 'user-1', 'view', ?, ?)")) {
      insert.setString(1, id);
      insert.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(sentMillis), ZoneOffset.UTC));
      insert.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(storedMillis), ZoneOffset.UTC));
      insert.executeUpdate();
    }
  }
}
