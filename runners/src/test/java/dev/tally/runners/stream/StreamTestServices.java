package dev.tally.runners.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.pipelines.TestPostgres;
import dev.tally.pipelines.io.postgres.PostgresSchema;
import dev.tally.runners.stack.KafkaBroker;
import dev.tally.runners.stack.LocalStack;
import dev.tally.runners.stack.StackService;
import dev.tally.runners.stack.StackSettings;
import dev.tally.runners.stack.TestStacks;
import dev.tally.schema.EventSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka broker on free ports (topics events and events-dlq with {@link StreamTestEvents#PARTITIONS} partitions),
 * optionally a Spark standalone cluster in the same stack folder, and a throw-away PostgreSQL schema, with what the
 * streaming tests do with them: produce, wait, read back.
 */
final class StreamTestServices implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final StackSettings settings;
  final TestPostgres postgres;
  final Path passwordFile;
  /** The --jdbcUrl the pipeline gets: this schema's, unless a test puts something in between (a proxy). */
  String pipelineJdbcUrl;
  final LocalStack stack;
  private final Set<StackService> services;
  private final KafkaProducer<String, String> producer;
  /** Expected dead letters: source (topic-partition:offset) -> reason. */
  final Map<String, String> expectedDeadLetters = new TreeMap<>();

  StreamTestServices(Path dir) throws IOException {
    this(dir, EnumSet.of(StackService.KAFKA));
  }

  /** @param services the stack services to start: Kafka, and Spark for the tests on a standalone cluster */
  StreamTestServices(Path dir, Set<StackService> services) throws IOException {
    settings = TestStacks.onFreePorts(dir.resolve("stack")).kafkaPartitions(StreamTestEvents.PARTITIONS).build();
    stack = new LocalStack(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    this.services = EnumSet.copyOf(services);
    // PostgreSQL first: when it is missing, no service has been started that close() would have to stop.
    postgres = TestPostgres.withNewSchema();
    // As the pipeline does at start; here first, so the tests can poll the tables before the pipeline is up.
    PostgresSchema.apply(postgres.target(), EventSchema.defaultSchema());
    passwordFile = postgres.passwordFile(dir);
    pipelineJdbcUrl = postgres.url();
    try {
      stack.up(this.services);
    } catch (RuntimeException e) {
      stack.down(this.services);
      try {
        postgres.close();
      } catch (SQLException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  /** The pipeline flags for this broker and schema (no runner flags). */
  List<String> pipelineFlags(String consumerGroup) {
    // No --windowSize: the streaming default, one minute, is what StreamTestEvents.WINDOW expects.
    return new ArrayList<>(List.of(
        "--bootstrapServers=" + settings.kafkaBootstrapServers(),
        "--consumerGroup=" + consumerGroup,
        "--jdbcUrl=" + pipelineJdbcUrl,
        "--jdbcUser=" + TestPostgres.USER,
        "--jdbcPasswordFile=" + passwordFile));
  }

  /** Produces {@code records} to their partitions of events, waiting for every acknowledgement. */
  void produce(List<StreamTestEvents.Produced> records) throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (StreamTestEvents.Produced record : records) {
      sent.add(producer.send(
          new ProducerRecord<>(KafkaBroker.EVENTS_TOPIC, record.partition(), record.key(), record.value())));
    }
    for (int i = 0; i < records.size(); i++) {
      RecordMetadata metadata = sent.get(i).get();
      if (records.get(i).reason() != null) {
        expectedDeadLetters.put(
            metadata.topic() + "-" + metadata.partition() + ":" + metadata.offset(), records.get(i).reason());
      }
    }
  }

  /** Records per partition of events, as the broker has them. */
  Map<Integer, Long> partitionSizes() {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer, KafkaBroker.EVENTS_TOPIC);
      Map<Integer, Long> sizes = new TreeMap<>();
      consumer.endOffsets(partitions).forEach((partition, end) -> sizes.put(partition.partition(), end));
      return sizes;
    }
  }

  /**
   * Waits until user_events holds more than {@code events} rows: the pipeline makes progress. Fails if it does not
   * within {@code timeout} or the pipeline stops.
   */
  void awaitStoredMoreThan(long events, Duration timeout, BooleanSupplier pipelineAlive) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (count("user_events") <= events) {
      assertTrue(pipelineAlive.getAsBoolean(), "the pipeline stopped with " + events + " events stored");
      assertTrue(Instant.now().isBefore(deadline), "no more than " + events + " events stored in " + timeout);
      Thread.sleep(500);
    }
  }

  /** Waits until user_events and dead_letters hold {@code events} and {@code deadLetters} rows. */
  void awaitStored(int events, int deadLetters, Duration stall, BooleanSupplier pipelineAlive) throws Exception {
    // Progress-based: on a loaded machine the pipeline may be slow, which is not what these tests are about; it
    // fails only when nothing new was stored for `stall` (or more rows than produced appear).
    long lastProgress = -1;
    Instant deadline = Instant.now().plus(stall);
    while (true) {
      long storedEvents = count("user_events");
      long storedDeadLetters = count("dead_letters");
      if (storedEvents == events && storedDeadLetters == deadLetters) {
        return;
      }
      assertTrue(storedEvents <= events && storedDeadLetters <= deadLetters,
          "more rows than produced: " + storedEvents + " events, " + storedDeadLetters + " dead letters");
      assertTrue(pipelineAlive.getAsBoolean(), "the pipeline stopped before storing everything");
      if (storedEvents + storedDeadLetters > lastProgress) {
        lastProgress = storedEvents + storedDeadLetters;
        deadline = Instant.now().plus(stall);
      }
      assertTrue(Instant.now().isBefore(deadline), "nothing new stored for " + stall + ": " + storedEvents + " of "
          + events + " events and " + storedDeadLetters + " of " + deadLetters + " dead letters stored");
      Thread.sleep(500);
    }
  }

  /**
   * {@link #awaitStored(int, int, Duration, BooleanSupplier)} for a pipeline JVM started by {@link PipelineProcess}:
   * if it fails while that JVM still runs, the message carries a {@link StallReport}.
   */
  void awaitStored(int events, int deadLetters, Duration stall, Process pipeline, Path threadDumpFile)
      throws Exception {
    try {
      awaitStored(events, deadLetters, stall, pipeline::isAlive);
    } catch (AssertionError e) {
      if (!pipeline.isAlive()) {
        throw e;
      }
      throw new AssertionError(
          e.getMessage() + StallReport.of(this, pipeline, PipelineProcess.CONSUMER_GROUP, threadDumpFile), e);
    }
  }

  /** PostgreSQL and events-dlq hold exactly what {@code events} and the invalid records produced must give. */
  void assertStoredExactly(StreamTestEvents events, String context) throws Exception {
    assertEquals(events.expectedCounts(), storedCounts(), context);
    assertEquals(expectedDeadLetters, storedDeadLetters(), context);
    assertEquals(expectedDeadLetters, awaitDeadLetterTopic(Duration.ofMinutes(1)), context);
  }

  /**
   * events-dlq once it holds every expected dead letter, or as it is after {@code stall} without a new one. The
   * topic is written by its own step, which may finish after the dead_letters table's: a read right after the
   * table is complete can miss the last micro-batch's letters.
   */
  private Map<String, String> awaitDeadLetterTopic(Duration stall) throws Exception {
    Map<String, String> letters = deadLetterTopic();
    Instant giveUp = Instant.now().plus(stall);
    while (!letters.equals(expectedDeadLetters) && Instant.now().isBefore(giveUp)) {
      Thread.sleep(1_000);
      Map<String, String> now = deadLetterTopic();
      if (now.size() > letters.size()) {
        giveUp = Instant.now().plus(stall);
      }
      letters = now;
    }
    return letters;
  }

  /**
   * Produces {@code n} new valid events one at a time, each timed from its send until its count is visible in
   * user_event_counts (at most {@code timeout} each).
   *
   * @return the latencies in milliseconds, sorted
   */
  List<Long> liveLatencies(StreamTestEvents events, int n, Duration timeout) throws Exception {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long sent = System.nanoTime();
      produce(List.of(events.nextValid()));
      while (countedEvents() < events.distinctValid()) {
        assertTrue(System.nanoTime() - sent < timeout.toNanos(), "live event " + i + " not counted in " + timeout);
        Thread.sleep(20);
      }
      latencies.add((System.nanoTime() - sent) / 1_000_000);
    }
    Collections.sort(latencies);
    return latencies;
  }

  /** The sum of user_event_counts: the number of counted events, with fixed windows. */
  long countedEvents() throws SQLException {
    Object sum = postgres.query("SELECT sum(event_count) FROM user_event_counts").get(0).get(0);
    return sum == null ? 0 : ((Number) sum).longValue();
  }

  long count(String table) throws SQLException {
    return ((Number) postgres.query("SELECT count(*) FROM " + table).get(0).get(0)).longValue();
  }

  /** user_event_counts as {@code window_start|user|type -> count}; every window one minute long. */
  Map<String, Long> storedCounts() throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    for (List<Object> row : postgres.query(
        "SELECT window_start, window_end, user_id, event_type, event_count FROM user_event_counts")) {
      Instant start = ((Timestamp) row.get(0)).toInstant();
      Instant end = ((Timestamp) row.get(1)).toInstant();
      assertTrue(end.equals(start.plus(StreamTestEvents.WINDOW)), "window " + start + " - " + end);
      counts.put(start + "|" + row.get(2) + "|" + row.get(3), ((Number) row.get(4)).longValue());
    }
    return counts;
  }

  /** dead_letters as {@code source -> reason}. */
  Map<String, String> storedDeadLetters() throws SQLException {
    Map<String, String> letters = new TreeMap<>();
    for (List<Object> row : postgres.query("SELECT source, reason FROM dead_letters")) {
      letters.put((String) row.get(0), (String) row.get(1));
    }
    return letters;
  }

  /** Every record of events-dlq as {@code source -> reason} (the topic is at least once: repeats collapse). */
  Map<String, String> deadLetterTopic() throws IOException {
    Map<String, String> letters = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer, KafkaBroker.DEAD_LETTERS_TOPIC);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plusSeconds(30);
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
        assertTrue(Instant.now().isBefore(deadline), "events-dlq not read to " + ends + " in 30 s");
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          JsonNode letter = JSON.readTree(record.value());
          String source = letter.get("source").asText();
          String previous = letters.put(source, letter.get("reason").asText());
          assertTrue(previous == null || previous.equals(letters.get(source)), "two reasons for " + source);
          assertTrue(record.key().equals(source), "key " + record.key() + " of " + record.value());
        }
      }
    }
    return letters;
  }

  private KafkaConsumer<String, String> consumer() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
    return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .toList();
  }

  @Override
  public void close() throws Exception {
    producer.close();
    try {
      postgres.close();
    } finally {
      stack.down(services);
    }
  }
}
