package dev.tally.generator;

import dev.tally.model.ReasonCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends generated records to a Kafka topic: the records, lines and seeded order of the file mode for the same
 * config ({@link EventGenerator#records}), one record per line with no CSV header (a consumer takes the columns
 * from the schema's field order). Key: the user id the record was generated for; invalid records whose user is
 * missing get the stable key {@code invalid-<position>}. The producer is idempotent with {@code acks=all}, so a retried send is stored once.
 *
 * <p>The broker is checked first (within {@link #CONNECT_TIMEOUT}); a missing topic is created with the broker's
 * default partition count.
 */
public final class KafkaEventProducer {
  /** How long the broker may take to answer before the run is refused. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How to start the local broker, for error messages. */
  static final String FIX = "start the local broker with ./tally stack up kafka, or pass --bootstrapServers=HOST:PORT";

  /** host:port or [ipv6]:port. */
  private static final Pattern HOST_PORT = Pattern.compile("\\[?([^\\[\\]]+?)\\]?:([0-9]{1,5})");

  private KafkaEventProducer() {}

  /**
   * Sends {@code config.events()} records and returns each with the partition and offset it was stored at. Holds
   * all records in memory: for large runs use {@link #send}.
   *
   * @param eventsPerSecond the send rate; 0 for as fast as possible
   * @throws KafkaUnavailableException if the broker cannot be reached or does not acknowledge every record
   */
  public static ProducedData produce(
      GeneratorConfig config, String bootstrapServers, String topic, double eventsPerSecond)
      throws KafkaUnavailableException {
    ProducedRecord[] sent = new ProducedRecord[config.events()];
    KafkaRun run = send(config, bootstrapServers, topic, eventsPerSecond,
        produced -> sent[(int) produced.record().lineNumber() - 1] = produced);
    return new ProducedData(Arrays.asList(sent), run);
  }

  /**
   * Sends {@code config.events()} records, passing each to {@code acknowledged} once the broker has stored it (on
   * the producer's I/O thread, in offset order within a partition). Memory use does not grow with the count.
   *
   * @param eventsPerSecond the send rate; 0 for as fast as possible
   * @throws KafkaUnavailableException if the broker cannot be reached or does not acknowledge every record
   */
  public static KafkaRun send(
      GeneratorConfig config,
      String bootstrapServers,
      String topic,
      double eventsPerSecond,
      Consumer<? super ProducedRecord> acknowledged)
      throws KafkaUnavailableException {
    return send(config, bootstrapServers, topic, eventsPerSecond, false, acknowledged);
  }

  /**
   * As {@link #send(GeneratorConfig, String, String, double, Consumer)}; with {@code eventTimeAtSend}, each valid
   * record's event time is the moment it is made, just before it is sent (the wall clock, in milliseconds), instead
   * of the config's planned time: a live stream, whose event-to-row latency a benchmark can measure per record.
   */
  public static KafkaRun send(
      GeneratorConfig config,
      String bootstrapServers,
      String topic,
      double eventsPerSecond,
      boolean eventTimeAtSend,
      Consumer<? super ProducedRecord> acknowledged)
      throws KafkaUnavailableException {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("--topic must be set");
    }
    Plan plan = new Plan(config);
    RecordFactory factory = new RecordFactory(plan);
    if (eventTimeAtSend) {
      factory.withLiveEventTime(System::currentTimeMillis);
    }
    checkBroker(bootstrapServers, topic);

    EventGenerator.Counts counts = new EventGenerator.Counts(config.schema().eventTypes());
    Map<Integer, long[]> partitions = new TreeMap<>(); // partition -> {records, first offset, last offset}
    AtomicReference<Exception> failure = new AtomicReference<>();
    long startNanos = System.nanoTime();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrapServers))) {
      // The topic's metadata first, so the first send does not wait for it and the clock starts with the sends.
      producer.partitionsFor(topic);
      startNanos = System.nanoTime();
      RatePacer pacer = new RatePacer(eventsPerSecond);
      for (int position = 0; position < config.events() && failure.get() == null; position++) {
        pacer.await(position);
        GeneratedRecord record = factory.record(position, topic, position + 1L);
        counts.add(record);
        String key = keyOf(record, position, factory);
        producer.send(new ProducerRecord<>(topic, key, record.line()), (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
            return;
          }
          // Callbacks run on the producer's single I/O thread.
          long[] stats = partitions.computeIfAbsent(metadata.partition(), p -> new long[] {0, metadata.offset(), 0});
          stats[0]++;
          stats[1] = Math.min(stats[1], metadata.offset());
          stats[2] = Math.max(stats[2], metadata.offset());
          acknowledged.accept(new ProducedRecord(record, key, metadata.partition(), metadata.offset()));
        });
      }
      producer.flush();
    } catch (KafkaException e) {
      failure.compareAndSet(null, e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    if (failure.get() != null) {
      throw new KafkaUnavailableException(
          "Kafka at " + bootstrapServers + " did not take every record (" + failure.get().getMessage() + "): " + FIX);
    }
    List<KafkaManifest.Partition> entries = new ArrayList<>();
    // close() joined the I/O thread: its writes to partitions are visible here.
    partitions.forEach((partition, stats) ->
        entries.add(new KafkaManifest.Partition(partition, stats[0], stats[1], stats[2])));
    KafkaManifest manifest =
        new KafkaManifest(Manifest.Config.of(config, plan.injectedReasons), topic, entries, counts.totals());
    return new KafkaRun(manifest, elapsed);
  }

  /**
   * The user id a record was generated for; for an invalid record with a missing user, a key of its position. An
   * invalid record's ground truth has no user id (the pipeline outputs none), but its line still carries the user.
   */
  private static String keyOf(GeneratedRecord record, int position, RecordFactory factory) {
    if (record.userId() != null) {
      return record.userId();
    }
    return record.reason() == ReasonCode.MISSING_REQUIRED_FIELD
        ? ProducedRecord.noUserKey(position)
        : factory.lastDraftedUserId();
  }

  /**
   * The record count of a run of {@code duration} at {@code eventsPerSecond}, fixed before sending so that the run
   * is the same seeded plan as a run with {@code --events} of that count.
   */
  public static int eventsFor(double eventsPerSecond, Duration duration) {
    if (!(eventsPerSecond > 0)) {
      throw new IllegalArgumentException("--duration needs a --rate above 0, got " + eventsPerSecond);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration);
    }
    double events = Math.rint(eventsPerSecond * duration.toNanos() / 1e9);
    if (events > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "--rate x --duration makes " + (long) events + " events, more than " + Integer.MAX_VALUE);
    }
    return (int) events;
  }

  /** Fails fast, with the fix in the message, when the broker does not answer; creates a missing topic. */
  static void checkBroker(String bootstrapServers, String topic) throws KafkaUnavailableException {
    String unreachable =
        "cannot reach Kafka at " + bootstrapServers + " within " + CONNECT_TIMEOUT.toSeconds() + " s: " + FIX;
    // A plain connect first: the Kafka clients log a warning per retry while a port is closed, and the user
    // should see the one line below instead.
    if (!anyAccepts(bootstrapServers)) {
      throw new KafkaUnavailableException(unreachable);
    }
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    int timeoutMs = (int) CONNECT_TIMEOUT.toMillis();
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    try (Admin admin = Admin.create(properties)) {
      admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
      Set<String> topics = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      if (!topics.contains(topic)) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
              .all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (TimeoutException | KafkaException e) {
      throw new KafkaUnavailableException(unreachable);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException(
          e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
              ? unreachable
              : "Kafka at " + bootstrapServers + " refused topic " + topic + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while connecting to Kafka at " + bootstrapServers);
    }
  }

  /**
   * Whether any of the comma-separated {@code HOST:PORT} addresses accepts a TCP connection within the timeout.
   *
   * @throws IllegalArgumentException if an address is not {@code HOST:PORT}
   */
  private static boolean anyAccepts(String bootstrapServers) {
    for (String address : bootstrapServers.split(",")) {
      Matcher hostPort = HOST_PORT.matcher(address.strip());
      if (!hostPort.matches() || Integer.parseInt(hostPort.group(2)) > 65_535) {
        throw new IllegalArgumentException(
            "--bootstrapServers: expected HOST:PORT[,HOST:PORT...], got '" + bootstrapServers + "'");
      }
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(hostPort.group(1), Integer.parseInt(hostPort.group(2))),
            (int) CONNECT_TIMEOUT.toMillis());
        return true;
      } catch (IOException e) {
        // refused, unresolvable or timed out: try the next address
      }
    }
    return false;
  }

  private static Properties producerProperties(String bootstrapServers) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Throughput: fill larger batches for a few milliseconds instead of sending each record on its own.
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // A broker that vanishes mid-run fails the run within seconds rather than blocking send() for a minute.
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CONNECT_TIMEOUT.toMillis() * 2);
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return properties;
  }
}
