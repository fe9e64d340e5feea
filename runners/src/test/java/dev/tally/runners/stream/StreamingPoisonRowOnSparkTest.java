package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.pipelines.StreamingPipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka -> StreamingPipeline on the Spark runner (local[2], streaming) -> a PostgreSQL table that refuses one
 * valid event (a CHECK constraint added by hand): the refused event reaches dead_letters and the dead-letter
 * topic as {@code rejected_by_database}, the other events of its batch are stored and counted exactly.
 */
@Tag("integration")
class StreamingPoisonRowOnSparkTest {
  @TempDir Path dir;

  @Test
  void aRefusedEventIsDeadLetteredAndTheRestIsCountedExactly() throws Exception {
    try (StreamTestServices services = new StreamTestServices(dir)) {
      try (Connection connection = services.postgres.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE user_events ADD CONSTRAINT no_test_users CHECK (user_id NOT LIKE 'test-%')");
      }
      services.produce(
          List.of(
              new StreamTestEvents.Produced(0, "alice", "e1,alice,view,2026-11-23T10:00:05Z,,,,,,,", null),
              new StreamTestEvents.Produced(
                  0, "test-carol", "e2,test-carol,view,2026-11-23T10:00:15Z,,,,,,,", "rejected_by_database"),
              new StreamTestEvents.Produced(0, "alice", "e3,alice,view,2026-11-23T10:00:25Z,,,,,,,", null),
              new StreamTestEvents.Produced(0, "bob", "e4,bob,add_to_cart,2026-11-23T10:01:05Z,,,,,,,", null),
              new StreamTestEvents.Produced(
                  0, "bob", "e5,bob,teleport,2026-11-23T10:01:10Z,,,,,,,", "unknown_event_type")));

      List<String> flags = services.pipelineFlags("spark-poison-test");
      flags.addAll(List.of(
          "--runner=SparkRunner", "--sparkMaster=local[2]", "--streaming=true", "--batchIntervalMillis=1000",
          "--checkpointDir=" + dir.resolve("checkpoint")));
      PipelineResult result = StreamingPipeline.start(StreamingPipeline.parseOptions(flags.toArray(String[]::new)));
      try {
        services.awaitStored(3, 2, Duration.ofMinutes(2), () -> result.getState() == PipelineResult.State.RUNNING);
      } finally {
        try {
          result.cancel();
        } catch (RuntimeException e) {
          // As in StreamingPipelineOnSparkTest: what is stored is checked below.
          System.out.println("StreamingPoisonRowOnSparkTest: cancel() threw " + e);
        }
      }

      assertEquals(
          List.of(List.of("e1"), List.of("e3"), List.of("e4")),
          services.postgres.query("SELECT event_id FROM user_events ORDER BY event_id"));
      assertEquals(
          Map.of("2026-11-23T10:00:00Z|alice|view", 2L, "2026-11-23T10:01:00Z|bob|add_to_cart", 1L),
          services.storedCounts());
      assertEquals(services.expectedDeadLetters, services.storedDeadLetters());
      assertEquals(services.expectedDeadLetters, services.deadLetterTopic());
      assertEquals(
          List.of(List.of("store", "PostgreSQL refused to store this valid event in user_events: new row for relation"
              + " \"user_events\" violates check constraint \"no_test_users\" (SQLState 23514)")),
          services.postgres.query("SELECT stage, message FROM dead_letters WHERE reason = 'rejected_by_database'"));
    }
  }
}
