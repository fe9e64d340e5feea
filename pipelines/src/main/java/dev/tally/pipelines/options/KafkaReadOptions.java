package dev.tally.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Kafka topic the streaming path reads raw events from, and where its dead letters go. */
public interface KafkaReadOptions extends PipelineOptions {
  @Description("Kafka brokers to bootstrap from, host:port[,host:port...].")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic of raw events: one record per event, the value one CSV line or JSON object.")
  @Default.String("events")
  String getTopic();

  void setTopic(String value);

  @Description(
      "Kafka consumer group. Offsets are committed to it once a checkpoint is finalised; a run with no"
          + " checkpoint (or a new --checkpointDir) starts from the group's committed offsets, else the earliest.")
  @Default.String("tally-stream")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  @Description("Topic that gets each dead letter as one JSON object (at least once). Empty: none.")
  @Default.String("events-dlq")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);
}
