package dev.tally.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.model.ReasonCode;
import dev.tally.schema.EventSchema;
import dev.tally.schema.FieldSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kafka mode against a real KRaft broker in the test JVM. */
@Tag("integration")
class KafkaEventProducerTest {
  @RegisterExtension static final InJvmKafkaBroker broker = new InJvmKafkaBroker();

  private static GeneratorConfig.Builder defects() {
    return GeneratorConfig.builder().seed(7).invalidRate(0.05).duplicateRate(0.04).lateRate(0.03);
  }

  @Test
  void sendsTheFileModesRecordsKeyedByUserAcrossPartitions() throws Exception {
    GeneratorConfig config = defects().events(3_000).build();
    broker.createTopic("csv-events", 3);

    ProducedData produced = KafkaEventProducer.produce(config, broker.bootstrapServers(), "csv-events", 0);

    List<GeneratedRecord> fileRecords = EventGenerator.records(config);
    assertEquals(config.events(), produced.records().size());
    assertSameRecords(config, fileRecords, produced);
    Map<String, Long> kinds = produced.generatedRecords().stream()
        .collect(Collectors.groupingBy(record -> record.kind().name(), TreeMap::new, Collectors.counting()));
    assertEquals(4, kinds.size(), "every kind of record is sent: " + kinds);

    // What a consumer reads back: every record once, at the partition and offset the producer reported, in send
    // order within each partition.
    Map<String, ConsumerRecord<String, String>> consumed = consumeAll("csv-events", config.events());
    assertEquals(config.events(), consumed.size());
    for (ProducedRecord record : produced.records()) {
      ConsumerRecord<String, String> read = consumed.get(record.partition() + "@" + record.offset());
      assertEquals(record.key(), read.key(), record.kafkaPosition());
      assertEquals(record.record().line(), read.value(), record.kafkaPosition());
    }

    // The manifest: the file mode's totals, and per partition what a consumer finds there.
    KafkaManifest manifest = produced.run().manifest();
    assertEquals("csv-events", manifest.topic());
    assertEquals(EventGenerator.totals(config.schema(), fileRecords), manifest.totals());
    assertEquals(3, manifest.partitions().size(), "3 partitions, all used by ~500 users: " + manifest.partitions());
    for (KafkaManifest.Partition partition : manifest.partitions()) {
      List<Long> offsets = produced.records().stream()
          .filter(record -> record.partition() == partition.partition())
          .map(ProducedRecord::offset)
          .toList();
      assertEquals(new KafkaManifest.Partition(partition.partition(), offsets.size(), 0, offsets.size() - 1), partition);
      assertEquals(offsets.stream().sorted().toList(), offsets, "send order is offset order in a partition");
    }
    assertEquals(manifest, KafkaManifest.fromJson(manifest.toJson()));
    assertTrue(produced.run().achievedRate() > 0);
  }

  @Test
  void sendsJsonLinesOfAJsonSchemaAndCreatesAMissingTopic() throws Exception {
    GeneratorConfig config = defects().schema(EventSchema.load("rees46")).format(OutputFormat.JSONL).events(800).build();

    ProducedData produced = KafkaEventProducer.produce(config, broker.bootstrapServers(), "json-events", 0);

    assertSameRecords(config, EventGenerator.records(config), produced);
    assertTrue(produced.records().get(0).record().line().startsWith("{"), produced.records().get(0).record().line());
    Map<String, ConsumerRecord<String, String>> consumed = consumeAll("json-events", config.events());
    assertEquals(config.events(), consumed.size());
    assertEquals(
        produced.records().stream().map(record -> record.record().line()).sorted().toList(),
        consumed.values().stream().map(ConsumerRecord::value).sorted().toList());
  }

  @Test
  void pacesToTheRate() throws Exception {
    GeneratorConfig config = defects().events(600).build();

    long start = System.nanoTime();
    KafkaRun run = KafkaEventProducer.send(config, broker.bootstrapServers(), "paced-events", 400, record -> {});
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    // The last of 600 sends is due 599 / 400 s = 1.4975 s after the first; only a lower bound is asserted.
    assertTrue(elapsed.toMillis() >= 1_497, "600 events at 400/s took " + elapsed);
    assertTrue(run.elapsed().toMillis() >= 1_497, "reported " + run.elapsed());
    assertEquals(600, run.manifest().totals().records());
  }

  @Test
  void eventTimeAtSendIsTheMomentEachValidRecordIsMade() throws Exception {
    GeneratorConfig config =
        GeneratorConfig.builder().seed(9).events(300).invalidRate(0).duplicateRate(0).lateRate(0).build();
    List<ProducedRecord> produced = Collections.synchronizedList(new ArrayList<>());

    Instant before = Instant.ofEpochMilli(System.currentTimeMillis());
    KafkaEventProducer.send(config, broker.bootstrapServers(), "live-events", 1_000, true, produced::add);
    Instant after = Instant.ofEpochMilli(System.currentTimeMillis());

    assertEquals(300, produced.size());
    List<GeneratedRecord> planned = EventGenerator.records(config);
    Instant previous = before;
    List<ProducedRecord> inSendOrder =
        produced.stream().sorted(Comparator.comparingLong(r -> r.record().lineNumber())).toList();
    for (ProducedRecord record : inSendOrder) {
      Instant time = record.record().eventTime();
      assertTrue(!time.isBefore(previous) && !time.isAfter(after), time + " not in [" + previous + ", " + after + "]");
      previous = time;
      GeneratedRecord plan = planned.get((int) record.record().lineNumber() - 1);
      // Only the time differs from the planned record: same event id, user and type; the line carries the new time.
      assertEquals(plan.eventId(), record.record().eventId());
      assertEquals(plan.userId(), record.record().userId());
      assertEquals(plan.eventType(), record.record().eventType());
      String second = time.toString().substring(0, 19);
      assertTrue(record.record().line().contains(second), record.record().line());
    }
    // 300 records at 1,000/s are sent over about 0.3 s, so their times are not all the same millisecond.
    assertTrue(produced.stream().map(r -> r.record().eventTime()).distinct().count() > 1);
  }

  @Test
  void eventsForADurationAreRateTimesDuration() {
    assertEquals(1_500, KafkaEventProducer.eventsFor(50, Duration.ofSeconds(30)));
    assertEquals(3, KafkaEventProducer.eventsFor(2.5, Duration.ofMillis(1_200)));
    IllegalArgumentException noRate =
        assertThrows(IllegalArgumentException.class, () -> KafkaEventProducer.eventsFor(0, Duration.ofSeconds(1)));
    assertEquals("--duration needs a --rate above 0, got 0.0", noRate.getMessage());
  }

  @Test
  void anUnreachableBrokerIsOneMessageNamingTheFix() throws Exception {
    String nowhere = "127.0.0.1:" + InJvmKafkaBroker.freePort();
    GeneratorConfig config = defects().events(10).build();

    long start = System.nanoTime();
    KafkaUnavailableException error = assertThrows(KafkaUnavailableException.class,
        () -> KafkaEventProducer.produce(config, nowhere, "events", 0));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertEquals("cannot reach Kafka at " + nowhere + " within 5 s: start the local broker with ./tally stack up"
        + " kafka, or pass --bootstrapServers=HOST:PORT", error.getMessage());
    assertNull(error.getCause());
    assertTrue(elapsed.toSeconds() < 30, "gave up after " + elapsed);
  }

  /**
   * The produced records are the file mode's, in the same order, keyed by the user id each was generated for:
   * for an invalid record the user its line carries, and for one whose user is missing its position.
   */
  private static void assertSameRecords(GeneratorConfig config, List<GeneratedRecord> fileRecords, ProducedData produced)
      throws Exception {
    assertEquals(fileRecords.size(), produced.records().size());
    Map<ReasonCode, Integer> invalidKeysChecked = new TreeMap<>();
    for (int position = 0; position < fileRecords.size(); position++) {
      GeneratedRecord expected = fileRecords.get(position);
      ProducedRecord sent = produced.records().get(position);
      assertEquals(expected.line(), sent.record().line(), "line at position " + position);
      assertEquals(expected.kind(), sent.record().kind());
      assertEquals(expected.eventId(), sent.record().eventId());
      String where = "key at position " + position + ": " + expected.line();
      if (expected.kind() != RecordKind.INVALID) {
        assertEquals(expected.userId(), sent.key(), where);
      } else if (expected.reason() == ReasonCode.MISSING_REQUIRED_FIELD) {
        assertEquals("invalid-" + position, sent.key(), where);
      } else if (expected.reason() == ReasonCode.MALFORMED_RECORD) {
        assertFalse(sent.key().isBlank() || sent.key().startsWith("invalid-"), where);
      } else {
        assertEquals(userInLine(config.schema(), expected.line()), sent.key(), where);
        invalidKeysChecked.merge(expected.reason(), 1, Integer::sum);
      }
    }
    assertTrue(invalidKeysChecked.size() >= 4, "invalid records keyed by the user in their line: " + invalidKeysChecked);
  }

  /** The user id a well-formed line carries, as the pipeline would read it. */
  private static String userInLine(EventSchema schema, String line) throws Exception {
    FieldSpec user = schema.field(schema.userIndex());
    String text;
    if (schema.format().isCsv()) {
      CSVFormat csv = CSVFormat.DEFAULT.builder()
          .setDelimiter(schema.format().delimiter())
          .setQuote(schema.format().quote())
          .build();
      try (CSVParser parser = CSVParser.parse(line, csv)) {
        text = parser.getRecords().get(0).get(schema.userIndex());
      }
    } else {
      text = new ObjectMapper().readTree(line).get(user.name()).asText();
    }
    return user.canonical(text);
  }

  /** Every record of a topic, by {@code partition@offset}. */
  private static Map<String, ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Map<String, ConsumerRecord<String, String>> records = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200))
            .forEach(record -> records.put(record.partition() + "@" + record.offset(), record));
      }
      // One more poll finds any record beyond the expected count.
      consumer.poll(Duration.ofMillis(500))
          .forEach(record -> records.put(record.partition() + "@" + record.offset(), record));
    }
    return records;
  }
}
