package dev.tally.pipelines.io.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.pipelines.TestPostgres;
import dev.tally.schema.EventSchema;
import java.sql.Connection;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StoredKafkaOffsetsTest {
  private static List<String> sources(String topicPartition, long first, long last) {
    return LongStream.rangeClosed(first, last).mapToObj(offset -> topicPartition + ":" + offset).toList();
  }

  @Test
  void aSourceIsTopicDashPartitionColonOffsetWhateverDashesTheTopicHas() {
    assertEquals(
        new StoredKafkaOffsets.Position("events-dlq", 12, 345), StoredKafkaOffsets.Position.of("events-dlq-12:345"));
    assertThrows(IllegalArgumentException.class, () -> StoredKafkaOffsets.Position.of("/data/events.csv:17"));
  }

  @Test
  void offsetsBecomeRunsOfConsecutiveOnes() {
    List<long[]> runs = StoredKafkaOffsets.runs(List.of(12L, 5L, 3L, 4L, 9L, 10L, 4L));
    assertEquals(List.of("3-5", "9-10", "12-12"), runs.stream().map(run -> run[0] + "-" + run[1]).toList());
  }

  @Test
  void aPartitionResumesAtTheFirstOffsetNoStoredRunCovers() throws Exception {
    try (TestPostgres postgres = TestPostgres.withNewSchema()) {
      PostgresSchema.apply(postgres.target(), EventSchema.defaultSchema());
      StoredKafkaOffsets group = new StoredKafkaOffsets("group-a");
      try (Connection connection = postgres.connect()) {
        // Two sinks' transactions, in any order: events 0-4 and 8-9, dead letters 6-7 and 11; offset 5 missing.
        group.record(connection, sources("events-0", 8, 9));
        group.record(connection, List.of("events-0:6", "events-0:7", "events-0:11", "events-1:0"));
        group.record(connection, sources("events-0", 0, 4));
        assertEquals(5, group.resumeAt(connection, "events", 0, 0));
        assertEquals(1, group.resumeAt(connection, "events", 1, 0));
        assertEquals(0, group.resumeAt(connection, "events", 2, 0), "nothing stored from partition 2");
        assertEquals(0, new StoredKafkaOffsets("group-b").resumeAt(connection, "events", 0, 0), "another group");

        group.record(connection, List.of("events-0:5"));
        assertEquals(10, group.resumeAt(connection, "events", 0, 0));
        assertEquals(10, group.resumeAt(connection, "events", 0, 7), "counted from the previous start's offset");
        assertEquals(20, group.resumeAt(connection, "events", 0, 20), "never before the previous start's offset");

        group.forgetBelow(connection, "events", 0, 10);
        assertEquals(List.of(List.of(11L, 11L)), postgres.query(
            "SELECT first_offset, last_offset FROM kafka_stored_offsets WHERE kafka_partition = 0"));
        assertEquals(10, group.resumeAt(connection, "events", 0, 10));
      }
    }
  }
}
