package dev.tally.pipelines.io.kafka;

import dev.tally.model.RawRecord;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record of a Kafka topic as a {@link RawRecord}: payload = the value, origin = {@code topic-partition},
 * position = the offset, so a dead letter's source reads e.g. {@code events-2:1234}. Reading starts at the consumer
 * group's committed offsets, which {@link ResumeFromStoredOffsets} sets before each start, or at the earliest
 * record. Nothing is committed while reading: Beam 2.62's Spark runner would commit offsets of records read but not
 * yet stored (see {@link dev.tally.pipelines.io.postgres.StoredKafkaOffsets}).
 */
public class ReadRecordsFromKafka extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String bootstrapServers;
  private final String topic;
  private final String consumerGroup;

  public ReadRecordsFromKafka(String bootstrapServers, String topic, String consumerGroup) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply(
            "ReadKafka",
            KafkaIO.<String, String>read()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeyDeserializer(StringDeserializer.class)
                .withValueDeserializer(StringDeserializer.class)
                .withConsumerConfigUpdates(
                    Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, consumerGroup,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")))
        .apply(
            "ToRawRecord",
            MapElements.into(TypeDescriptor.of(RawRecord.class))
                .via(ReadRecordsFromKafka::toRawRecord));
  }

  static RawRecord toRawRecord(KafkaRecord<String, String> record) {
    // A tombstone (null value) becomes a blank record: dead-lettered as malformed, not silently skipped.
    String value = record.getKV().getValue();
    return RawRecord.of(
        value == null ? "" : value, record.getTopic() + "-" + record.getPartition(), record.getOffset());
  }
}
