package dev.tally.runners.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka service through its whole life, for real: up (storage formatted, topics created with the partitions
 * asked for), a second up, a record produced and consumed back, down with no process left, up again with the same
 * cluster, topics and record, status, down. And the two errors a user can hit before anything starts.
 */
@Tag("integration")
class KafkaBrokerTest {
  private static final Set<StackService> KAFKA = EnumSet.of(StackService.KAFKA);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  private static final String KEY = "user-7";
  private static final String VALUE = "e-1,user-7,purchase,2024-05-01T10:15:00Z,19.99";

  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private LocalStack stack;

  @AfterEach
  void stopEvenAfterAFailure() {
    if (stack != null) {
      stack.down(KAFKA);
    }
  }

  @Test
  void brokerKeepsItsTopicsAndRecordsAcrossDownAndUp() throws Exception {
    StackSettings settings = TestStacks.onFreePorts(dir.resolve("stack")).kafkaPartitions(2).build();
    stack = new LocalStack(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));

    stack.up(KAFKA);
    ServiceStatus first = stack.kafka().status();
    assertEquals(ServiceStatus.State.RUNNING, first.state());
    ProcStat broker = TestStacks.leader(stack.kafka().daemon()).orElseThrow();
    assertEquals(List.of(broker.pid()), first.pids());
    assertEquals(settings.kafkaBootstrapServers(), stack.kafka().bootstrapServers());
    String clusterId = stack.kafka().clusterId();
    assertEquals(clusterId, clusterIdOf(settings), "the broker runs on the cluster id kept in the stack folder");
    assertEquals(Map.of("events", 2, "events-dlq", 2), partitionCounts(settings));

    assertFalse(stack.kafka().up(), "a second up starts nothing");
    assertTrue(output().contains("kafka: already running (pid " + broker.pid() + ")"), output());
    assertEquals(first.pids(), stack.kafka().status().pids());

    RecordMetadata sent = produce(settings);
    assertEquals(KafkaBroker.EVENTS_TOPIC, sent.topic());
    assertEquals(0, sent.offset(), "the first record of a new topic");
    List<String> expected = List.of(sent.partition() + "/0 " + KEY + "=" + VALUE);
    assertEquals(expected, readAll(settings, KafkaBroker.EVENTS_TOPIC));
    assertEquals(List.of(), readAll(settings, KafkaBroker.DEAD_LETTERS_TOPIC));

    stack.down(KAFKA);
    assertFalse(TestStacks.stillRuns(broker), "the Kafka JVM still runs after down");
    assertEquals(List.of(), TestStacks.sessionOf(broker));
    assertFalse(Ports.isOpen(StackSettings.HOST, settings.kafkaPort()), "the broker port still answers");
    assertFalse(Ports.isOpen(StackSettings.HOST, settings.kafkaControllerPort()), "the controller port still answers");
    assertEquals(ServiceStatus.State.STOPPED, stack.kafka().status().state());

    // Up again, asking for another partition count: the data and the topics stay as they were.
    stack = new LocalStack(
        settings.toBuilder().kafkaPartitions(4).build(), new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertTrue(stack.kafka().up(), "up after down starts Kafka again");
    ProcStat again = TestStacks.leader(stack.kafka().daemon()).orElseThrow();
    assertNotEquals(broker, again);
    assertEquals(clusterId, clusterIdOf(settings));
    assertEquals(Map.of("events", 2, "events-dlq", 2), partitionCounts(settings));
    assertEquals(expected, readAll(settings, KafkaBroker.EVENTS_TOPIC));
    assertEquals(1, occurrences("kafka: formatted "), "the storage is formatted on the first start only");
    assertEquals(1, occurrences("kafka: created topics events, events-dlq with 2 partitions each"), output());
    assertTrue(output().contains("kafka: topic events keeps its 2 partitions (asked for 4)"), output());

    String status = stack.status(KAFKA).get(0).describe();
    assertTrue(status.startsWith("kafka: running"), status);
    assertTrue(status.contains(settings.kafkaBootstrapServers() + " (pid " + again.pid() + "), KRaft controller 127.0.0.1:"
        + settings.kafkaControllerPort()), status);
    assertTrue(status.contains("cluster   id " + clusterId), status);
    assertTrue(status.contains("topics    events (2 partitions), events-dlq (2 partitions)"), status);
    assertTrue(status.contains("data      " + settings.dir().resolve("kafka/data")), status);

    stack.down(KAFKA);
    assertFalse(TestStacks.stillRuns(again), "the Kafka JVM still runs after the second down");
    assertEquals(List.of(), TestStacks.sessionOf(again));
    assertEquals(ServiceStatus.State.STOPPED, stack.kafka().status().state());
    stack = null;
  }

  @Test
  void aTakenPortIsOneClearMessageAndStartsNothing() throws Exception {
    StackSettings settings = TestStacks.onFreePorts(dir.resolve("stack")).build();
    LocalStack taken = new LocalStack(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
    int port = settings.kafkaPort();
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress(InetAddress.getByName(StackSettings.HOST), port));
      StackException error = assertThrows(StackException.class, () -> taken.up(KAFKA));
      assertEquals(
          "kafka: port " + port + " (Kafka broker) is in use by another program, not by this stack: stop that program"
              + " (see: ss -ltnp 'sport = :" + port + "'), or choose another port with --kafka-port=PORT",
          error.getMessage());
    }
    assertEquals(ServiceStatus.State.STOPPED, taken.kafka().status().state());
    assertFalse(Files.exists(taken.kafka().daemon().pidFile()), "a pid file although nothing started");
    assertFalse(Files.exists(settings.dir().resolve("kafka/data")), "storage formatted although nothing started");
  }

  @Test
  void anUnbuiltKafkaHomeNamesTheBuildCommand() {
    Path home = dir.resolve("checkout");
    StackSettings settings = StackSettings.builder().home(home).dir(dir.resolve("stack")).freePorts().build();
    LocalStack unbuilt = new LocalStack(settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
    StackException error = assertThrows(StackException.class, () -> unbuilt.up(KAFKA));
    assertEquals(
        "kafka: the Kafka home is not built (no kafka_*.jar in " + home.resolve("runners/kafka-home/target/kafka-home/libs")
            + "): build it with `cd " + home + " && mvn -o -B -q install -DskipTests` (./tally does that on first use)",
        error.getMessage());
    assertEquals(ServiceStatus.State.STOPPED, unbuilt.kafka().status().state());
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private long occurrences(String text) {
    return output().lines().filter(line -> line.startsWith(text)).count();
  }

  private static Properties client(StackSettings settings) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
    return properties;
  }

  private static String clusterIdOf(StackSettings settings) throws Exception {
    try (Admin admin = Admin.create(client(settings))) {
      return admin.describeCluster().clusterId().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static Map<String, Integer> partitionCounts(StackSettings settings) throws Exception {
    try (Admin admin = Admin.create(client(settings))) {
      Map<String, Integer> counts = new TreeMap<>();
      admin.describeTopics(KafkaBroker.TOPICS).allTopicNames().get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          .forEach((name, topic) -> counts.put(name, topic.partitions().size()));
      return counts;
    }
  }

  private static RecordMetadata produce(StackSettings settings) throws Exception {
    Properties properties = client(settings);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
      return producer.send(new ProducerRecord<>(KafkaBroker.EVENTS_TOPIC, KEY, VALUE))
          .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Every record of every partition of {@code topic}, as {@code partition/offset key=value}, in that order. */
  private static List<String> readAll(StackSettings settings, String topic) {
    Properties properties = client(settings);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, CLIENT_TIMEOUT).stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, CLIENT_TIMEOUT);
      Map<String, String> records = new TreeMap<>();
      Instant deadline = Instant.now().plus(CLIENT_TIMEOUT);
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
        assertTrue(Instant.now().isBefore(deadline), "records up to " + ends + " not read within " + CLIENT_TIMEOUT);
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          records.put(
              String.format("%05d/%019d", record.partition(), record.offset()),
              record.partition() + "/" + record.offset() + " " + record.key() + "=" + record.value());
        }
      }
      return new ArrayList<>(records.values());
    }
  }
}
