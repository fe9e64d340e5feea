package dev.tally.pipelines.io.kafka;

import dev.tally.model.DeadLetter;
import dev.tally.pipelines.io.DeadLetterJson;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Each dead letter as one JSON object ({@link DeadLetterJson}) to a Kafka topic, keyed by its source. At least
 * once: a replayed bundle sends its dead letters again (the {@code dead_letters} table is the exact record).
 */
public class WriteDeadLettersToKafka extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String bootstrapServers;
  private final String topic;

  public WriteDeadLettersToKafka(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    return deadLetters
        .apply(
            "ToJson",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(letter -> KV.of(letter.source(), DeadLetterJson.toJson(letter))))
        .apply(
            "WriteKafka",
            KafkaIO.<String, String>write()
                .withBootstrapServers(bootstrapServers)
                .withTopic(topic)
                .withKeySerializer(StringSerializer.class)
                .withValueSerializer(StringSerializer.class));
  }
}
