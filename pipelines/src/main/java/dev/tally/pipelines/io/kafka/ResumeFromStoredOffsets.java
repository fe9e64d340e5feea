package dev.tally.pipelines.io.kafka;

import dev.tally.pipelines.UserError;
import dev.tally.pipelines.io.postgres.PostgresTarget;
import dev.tally.pipelines.io.postgres.StoredKafkaOffsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Before a streaming start: sets the consumer group's committed offsets, where KafkaIO starts reading, to the
 * first offset of each partition whose record is not yet stored in PostgreSQL ({@link StoredKafkaOffsets}),
 * counting from the offsets the previous start committed (or the earliest ones), and forgets the stored runs
 * below them. Records after that point may have been stored already: the sinks store them once.
 */
public final class ResumeFromStoredOffsets {
  private static final int TIMEOUT_SECONDS = 30;

  private ResumeFromStoredOffsets() {}

  /** @return the offset each partition of {@code topic} resumes at */
  public static Map<Integer, Long> apply(
      String bootstrapServers, String topic, String consumerGroup, PostgresTarget postgres) {
    StoredKafkaOffsets stored = new StoredKafkaOffsets(consumerGroup);
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
    try (Admin admin = Admin.create(config); Connection connection = postgres.connect()) {
      List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic).partitions().stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .toList();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      partitions.forEach(partition -> earliest.put(partition, OffsetSpec.earliest()));
      Map<TopicPartition, ListOffsetsResultInfo> starts =
          admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(consumerGroup)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> resume = new HashMap<>();
      Map<Integer, Long> resumeAt = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata previous = committed.get(partition);
        long from = Math.max(starts.get(partition).offset(), previous == null ? 0 : previous.offset());
        long next = stored.resumeAt(connection, topic, partition.partition(), from);
        resume.put(partition, new OffsetAndMetadata(next));
        resumeAt.put(partition.partition(), next);
      }
      admin.alterConsumerGroupOffsets(consumerGroup, resume).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      // Only once the group resumes there: a start that dies before this line finds the runs again.
      for (TopicPartition partition : partitions) {
        stored.forgetBelow(connection, topic, partition.partition(), resumeAt.get(partition.partition()));
      }
      return resumeAt;
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError("cannot set consumer group " + consumerGroup + "'s offsets on " + topic + " at "
          + bootstrapServers + " (" + (e.getCause() == null ? e : e.getCause()).getMessage()
          + "): is another pipeline running with --consumerGroup=" + consumerGroup + "?", e);
    } catch (SQLException e) {
      throw new UserError("cannot read the stored Kafka offsets from PostgreSQL at " + postgres.url() + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while setting consumer group " + consumerGroup + "'s offsets");
    }
  }
}
