package dev.tally.pipelines.io.postgres;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka records of one consumer group that the streaming sinks have stored, kept in
 * {@code kafka_stored_offsets} as runs of offsets per topic-partition, each run written in the transaction that
 * stored its records. A restart resumes every partition at the first offset no run covers.
 *
 * <p>Why not Kafka's committed offsets: Beam 2.62's Spark runner finalises a checkpoint mark (so KafkaIO commits
 * its offsets) as soon as a micro-batch has been read, and it reads each micro-batch when the batch is generated,
 * while earlier batches may still wait to be stored. A SIGKILL then loses every record that was committed but not
 * yet stored. Offsets stored with the results cannot run ahead of them, on any runner.
 */
public final class StoredKafkaOffsets implements Serializable {
  private static final String INSERT =
      "INSERT INTO kafka_stored_offsets (consumer_group, topic, kafka_partition, first_offset, last_offset) "
          + "VALUES (?, ?, ?, ?, ?)";
  private static final String RUNS_FROM =
      "SELECT first_offset, last_offset FROM kafka_stored_offsets "
          + "WHERE consumer_group = ? AND topic = ? AND kafka_partition = ? AND last_offset >= ? ORDER BY first_offset";
  private static final String FORGET_BELOW =
      "DELETE FROM kafka_stored_offsets "
          + "WHERE consumer_group = ? AND topic = ? AND kafka_partition = ? AND last_offset < ?";

  private final String consumerGroup;

  public StoredKafkaOffsets(String consumerGroup) {
    this.consumerGroup = consumerGroup;
  }

  /** A record's position, parsed from its source {@code topic-partition:offset}. */
  record Position(String topic, int partition, long offset) {
    static Position of(String source) {
      int colon = source.lastIndexOf(':');
      int dash = source.lastIndexOf('-', colon);
      if (colon < 0 || dash < 0) {
        throw new IllegalArgumentException("not a Kafka source (topic-partition:offset): " + source);
      }
      return new Position(source.substring(0, dash), Integer.parseInt(source.substring(dash + 1, colon)),
          Long.parseLong(source.substring(colon + 1)));
    }
  }

  /** Records that the records read from {@code sources} are stored, inside the caller's transaction. */
  public void record(Connection connection, List<String> sources) throws SQLException {
    Map<String, Map<Integer, List<Long>>> offsets = new TreeMap<>();
    for (String source : sources) {
      Position position = Position.of(source);
      offsets.computeIfAbsent(position.topic(), topic -> new TreeMap<>())
          .computeIfAbsent(position.partition(), partition -> new ArrayList<>())
          .add(position.offset());
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (Map.Entry<String, Map<Integer, List<Long>>> topic : offsets.entrySet()) {
        for (Map.Entry<Integer, List<Long>> partition : topic.getValue().entrySet()) {
          for (long[] run : runs(partition.getValue())) {
            insert.setString(1, consumerGroup);
            insert.setString(2, topic.getKey());
            insert.setInt(3, partition.getKey());
            insert.setLong(4, run[0]);
            insert.setLong(5, run[1]);
            insert.addBatch();
          }
        }
      }
      insert.executeBatch();
    }
  }

  /** {@code offsets} as runs of consecutive offsets, {first, last} each. */
  static List<long[]> runs(List<Long> offsets) {
    List<Long> sorted = new ArrayList<>(offsets);
    sorted.sort(null);
    List<long[]> runs = new ArrayList<>();
    for (long offset : sorted) {
      long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && offset <= last[1] + 1) {
        last[1] = Math.max(last[1], offset);
      } else {
        runs.add(new long[] {offset, offset});
      }
    }
    return runs;
  }

  /**
   * The offset to resume {@code topic}'s {@code partition} at: the first offset at or after {@code from} that no
   * stored run covers. Every record before it is stored.
   */
  public long resumeAt(Connection connection, String topic, int partition, long from) throws SQLException {
    long next = from;
    try (PreparedStatement runs = connection.prepareStatement(RUNS_FROM)) {
      runs.setString(1, consumerGroup);
      runs.setString(2, topic);
      runs.setInt(3, partition);
      runs.setLong(4, from);
      try (ResultSet rows = runs.executeQuery()) {
        while (rows.next() && rows.getLong(1) <= next) {
          next = Math.max(next, rows.getLong(2) + 1);
        }
      }
    }
    return next;
  }

  /** Deletes the runs that end before {@code offset}: the partition resumes at or after it. */
  public void forgetBelow(Connection connection, String topic, int partition, long offset) throws SQLException {
    try (PreparedStatement forget = connection.prepareStatement(FORGET_BELOW)) {
      forget.setString(1, consumerGroup);
      forget.setString(2, topic);
      forget.setInt(3, partition);
      forget.setLong(4, offset);
      forget.executeUpdate();
    }
  }
}
