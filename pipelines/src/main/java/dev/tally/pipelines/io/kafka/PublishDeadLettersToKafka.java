package dev.tally.pipelines.io.kafka;

import dev.tally.model.DeadLetter;
import dev.tally.pipelines.io.DeadLetterJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.joda.time.Instant;

/**
 * Sends each dead letter as one JSON object ({@link DeadLetterJson}) to a Kafka topic, keyed by its source, and
 * outputs it once the broker has acknowledged it, when the bundle finishes.
 *
 * <p>Why not KafkaIO.write: its output is {@code PDone}, so nothing can run after a letter is in the topic. The
 * dead-letter table's sink records the letter's Kafka offset as stored ({@code StoredKafkaOffsets}), and a restart
 * resumes after it; had it stored the letter before the topic had it, a SIGKILL in between lost the letter from the
 * topic for good (the crash test found ranges of them missing). Placed before that sink, a letter is in the topic
 * before its offset is stored: a replay sends it again (at least once; the table stays exact).
 */
public class PublishDeadLettersToKafka extends DoFn<DeadLetter, DeadLetter> {
  private final String bootstrapServers;
  private final String topic;
  private transient KafkaProducer<String, String> producer;
  private transient List<Sent> sent;

  public PublishDeadLettersToKafka(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /** A letter on its way, with the timestamp and window it is output in. */
  private record Sent(DeadLetter letter, Future<RecordMetadata> ack, Instant timestamp, BoundedWindow window) {}

  @Setup
  public void setup() {
    producer = new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            // Every in-sync replica has it before it counts as sent; retries add no copies.
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new StringSerializer(),
        new StringSerializer());
    sent = new ArrayList<>();
  }

  @StartBundle
  public void startBundle() {
    sent.clear();
  }

  @ProcessElement
  public void processElement(@Element DeadLetter letter, @Timestamp Instant timestamp, BoundedWindow window) {
    sent.add(new Sent(letter, producer.send(new ProducerRecord<>(topic, letter.source(), DeadLetterJson.toJson(letter))),
        timestamp, window));
  }

  /**
   * Waits for every acknowledgement (the producer retries for its delivery timeout, 2 minutes by default, e.g.
   * while a broker restarts); a send that failed for good fails the bundle, which the runner retries.
   */
  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException, ExecutionException {
    producer.flush();
    for (Sent letter : sent) {
      letter.ack().get();
      context.output(letter.letter(), letter.timestamp(), letter.window());
    }
    sent.clear();
  }

  @Teardown
  public void teardown() {
    if (producer != null) {
      producer.close();
    }
  }
}
