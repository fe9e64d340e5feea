package dev.tally.runners.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Kafka for the local stack: one broker in KRaft mode (its own controller, no ZooKeeper) in a JVM of its own, run
 * from the Maven-built Kafka home ({@link StackSettings#kafkaHome()}). Its storage under {@code <dir>/kafka/data} is
 * formatted once, with the cluster id kept in {@code <dir>/kafka/cluster-id}, and stays across down and up. {@code up}
 * creates the topics {@link #TOPICS} when they are missing, and returns once the broker answers and every partition
 * of those topics has a leader.
 */
public final class KafkaBroker {
  /** Raw events, for the streaming pipeline. */
  public static final String EVENTS_TOPIC = "events";
  /** Dead letters of the streaming pipeline, as JSON. */
  public static final String DEAD_LETTERS_TOPIC = "events-dlq";
  /** The topics {@code up} makes sure exist. */
  public static final List<String> TOPICS = List.of(EVENTS_TOPIC, DEAD_LETTERS_TOPIC);

  static final String BROKER_CLASS = "kafka.Kafka";
  static final String STORAGE_TOOL_CLASS = "kafka.tools.StorageTool";
  private static final String NODE_ID = "1";
  private static final String DAEMON_HEAP = "-Xmx512m";
  private static final String TOOL_HEAP = "-Xmx256m";
  private static final Pattern BROKER_JAR = Pattern.compile("kafka_[0-9.]+-(.+)\\.jar");
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

  private final StackSettings settings;
  private final PrintStream out;
  private final ManagedProcess daemon;

  public KafkaBroker(StackSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    this.daemon = new ManagedProcess(settings, "kafka");
  }

  /**
   * Starts the broker unless it runs (formatting its storage on the very first start), waits until it answers, and
   * creates the missing topics with {@link StackSettings#kafkaPartitions()} partitions. Existing topics are left as
   * they are.
   *
   * @return true if it started the broker, false if it was already running
   * @throws StackException naming the fix: a port taken, Kafka home not built, not ready in time
   */
  public boolean up() {
    Optional<PidFile> running = daemon.running();
    if (running.isPresent()) {
      out.printf("kafka: already running (pid %d)%n", running.get().pid());
      awaitReadyWithTopics(running.get().info().get("bootstrap"));
      out.println(status().describe());
      return false;
    }
    String version = checkKafkaHome();
    // Both ports before anything starts, so a taken port leaves nothing half-started behind.
    Ports.requireFree(settings.kafkaPort(), "Kafka broker", "--kafka-port");
    Ports.requireFree(settings.kafkaControllerPort(), "Kafka KRaft controller", "--kafka-controller-port");
    Instant begin = Instant.now();
    writeConfiguration();
    formatOnce();
    List<String> command = javaCommand(DAEMON_HEAP, BROKER_CLASS, serverProperties().toString());
    daemon.start(
        command,
        Map.of(),
        baseDir(),
        Map.of(
            "bootstrap", settings.kafkaBootstrapServers(),
            "controller", StackSettings.HOST + ":" + settings.kafkaControllerPort(),
            "version", version));
    awaitReadyWithTopics(settings.kafkaBootstrapServers());
    out.printf("kafka: ready in %.1f s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);
    out.println(status().describe());
    return true;
  }

  /**
   * Stops the broker (SIGTERM: a controlled shutdown; SIGKILL after the stop timeout); its data stays.
   *
   * @return true if the broker was running
   */
  public boolean down() {
    boolean stopped = daemon.stop(settings.stopTimeout());
    out.println(stopped ? "kafka: stopped (data kept in " + dataDir() + ")" : "kafka: not running");
    return stopped;
  }

  public ServiceStatus status() {
    Optional<PidFile> running = daemon.running();
    List<String> details = new ArrayList<>();
    if (running.isEmpty()) {
      details.add("data      " + dataDir());
      return new ServiceStatus(StackService.KAFKA, ServiceStatus.State.STOPPED, List.of(), details);
    }
    Map<String, String> info = running.get().info();
    String bootstrap = info.get("bootstrap");
    details.add(String.format(
        "broker    %s (pid %d), KRaft controller %s, Kafka %s",
        bootstrap, running.get().pid(), info.get("controller"), info.get("version")));
    Optional<ClusterView> view = Ports.isOpen(StackSettings.HOST, port(bootstrap)) ? probe(bootstrap) : Optional.empty();
    boolean ready = view.isPresent() && view.get().partitions().keySet().containsAll(TOPICS);
    view.ifPresent(
        cluster -> {
          details.add("cluster   id " + cluster.clusterId());
          details.add("topics    " + TOPICS.stream()
              .map(topic -> cluster.partitions().containsKey(topic)
                  ? topic + " (" + cluster.partitions().get(topic) + " partitions)"
                  : topic + " (missing: ./tally stack up kafka creates it)")
              .collect(Collectors.joining(", ")));
        });
    details.add("data      " + dataDir());
    details.add("log       " + daemon.logFile());
    if (view.isEmpty()) {
      details.add("not ready: the broker does not answer at " + bootstrap + " (yet, or any more); see the log");
    }
    return new ServiceStatus(
        StackService.KAFKA,
        ready ? ServiceStatus.State.RUNNING : ServiceStatus.State.PARTIAL,
        List.of(running.get().pid()),
        details);
  }

  /** {@code bootstrap.servers} of the running broker, else of the one the settings would start. */
  public String bootstrapServers() {
    return daemon.running().map(file -> file.info().get("bootstrap")).orElse(settings.kafkaBootstrapServers());
  }

  public ManagedProcess daemon() {
    return daemon;
  }

  /** Where the broker keeps its log segments and KRaft metadata. */
  public Path dataDir() {
    return baseDir().resolve("data");
  }

  /** The cluster id the storage was (or will be) formatted with: made once, then kept. */
  public String clusterId() {
    Path file = baseDir().resolve("cluster-id");
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String id = Uuid.randomUuid().toString();
      Files.createDirectories(baseDir());
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new StackException("cannot read or write Kafka's cluster id in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The broker version in the Kafka home.
   *
   * @throws StackException if the Kafka home is not built
   */
  public String checkKafkaHome() {
    return BuiltHome.requireJar(
        settings, settings.kafkaHome().resolve("libs"), "kafka_*.jar", BROKER_JAR, "Kafka home", "kafka_*.jar");
  }

  private Path baseDir() {
    return settings.dir().resolve("kafka");
  }

  private Path serverProperties() {
    return baseDir().resolve("server.properties");
  }

  private Path log4jProperties() {
    return baseDir().resolve("log4j.properties");
  }

  /** The broker's settings from the stack's (ports may differ from one up to the next; the data does not care). */
  private void writeConfiguration() {
    Map<String, String> server = new LinkedHashMap<>();
    server.put("process.roles", "broker,controller");
    server.put("node.id", NODE_ID);
    server.put("controller.quorum.voters", NODE_ID + "@" + StackSettings.HOST + ":" + settings.kafkaControllerPort());
    server.put("listeners", "PLAINTEXT://" + settings.kafkaBootstrapServers()
        + ",CONTROLLER://" + StackSettings.HOST + ":" + settings.kafkaControllerPort());
    server.put("advertised.listeners", "PLAINTEXT://" + settings.kafkaBootstrapServers());
    server.put("controller.listener.names", "CONTROLLER");
    server.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    server.put("inter.broker.listener.name", "PLAINTEXT");
    server.put("log.dirs", dataDir().toString());
    // Topics a client creates by producing to them get as many partitions as up gives its own.
    server.put("num.partitions", Integer.toString(settings.kafkaPartitions()));
    // One broker: Kafka's internal topics cannot have the default three replicas.
    server.put("offsets.topic.replication.factor", "1");
    server.put("transaction.state.log.replication.factor", "1");
    server.put("transaction.state.log.min.isr", "1");
    // A consumer group's first member need not wait three seconds for others that never come.
    server.put("group.initial.rebalance.delay.ms", "0");

    Map<String, String> logging = new LinkedHashMap<>();
    logging.put("log4j.rootLogger", "INFO, stdout");
    logging.put("log4j.appender.stdout", "org.apache.log4j.ConsoleAppender");
    logging.put("log4j.appender.stdout.layout", "org.apache.log4j.PatternLayout");
    logging.put("log4j.appender.stdout.layout.ConversionPattern", "[%d] %p %m (%c)%n");
    try {
      Files.createDirectories(baseDir());
      Files.writeString(serverProperties(), properties(server), StandardCharsets.UTF_8);
      Files.writeString(log4jProperties(), properties(logging), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot write Kafka's configuration to " + baseDir() + ": " + e.getMessage(), e);
    }
  }

  /** What {@code kafka-storage.sh format} does, on the first start only (the storage has no meta.properties yet). */
  private void formatOnce() {
    if (Files.exists(dataDir().resolve("meta.properties"))) {
      return;
    }
    String clusterId = clusterId();
    ExternalCommand.Result result =
        ExternalCommand.run(
            javaCommand(TOOL_HEAP, STORAGE_TOOL_CLASS, "format", "--cluster-id", clusterId,
                "--config", serverProperties().toString(), "--ignore-formatted"),
            "",
            settings.readyTimeout());
    if (!result.succeeded()) {
      throw new StackException(
          "formatting Kafka's storage in " + dataDir() + " failed (exit code " + result.exitCode() + "):"
              + System.lineSeparator() + lastLines(result.output(), 20));
    }
    out.println("kafka: formatted " + dataDir() + " (cluster id " + clusterId + ")");
  }

  private List<String> javaCommand(String heap, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(settings.javaExecutable().toString());
    command.add(heap);
    command.add("-Djava.awt.headless=true");
    command.add("-Dlog4j.configuration=" + log4jProperties().toUri());
    command.add("-cp");
    command.add(settings.kafkaHome().resolve("libs") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Polls until the broker answers a describeCluster, creates the missing topics, and waits until every partition
   * of theirs has a leader (then producers and consumers work at once). Fails early if the broker exits.
   */
  private void awaitReadyWithTopics(String bootstrap) {
    Instant deadline = Instant.now().plus(settings.readyTimeout());
    String lastSeen = "the broker did not accept connections at " + bootstrap;
    while (Instant.now().isBefore(deadline)) {
      requireRunning();
      // Only once the port is open: before that the admin client would log a warning for every attempt.
      if (Ports.isOpen(StackSettings.HOST, port(bootstrap))) {
        break;
      }
      ManagedProcess.sleep(POLL);
    }
    try (Admin admin = admin(bootstrap, settings.readyTimeout())) {
      while (Instant.now().isBefore(deadline)) {
        requireRunning();
        try {
          await(admin.describeCluster().clusterId(), deadline);
          ensureTopics(admin, deadline);
          if (leadersElected(admin, deadline)) {
            return;
          }
          lastSeen = "topics " + TOPICS + " have partitions without a leader";
        } catch (ExecutionException e) {
          if (!isTransient(e)) {
            throw new StackException("kafka: " + e.getCause().getMessage(), e.getCause());
          }
          lastSeen = e.getCause().getMessage();
        } catch (TimeoutException e) {
          lastSeen = "the broker did not answer at " + bootstrap;
        }
        ManagedProcess.sleep(POLL);
      }
    }
    throw new StackException(
        "kafka did not become ready within " + settings.readyTimeout().toSeconds() + " s (" + lastSeen
            + "). Last lines of " + daemon.logFile() + ":" + System.lineSeparator() + daemon.logTail(20)
            + System.lineSeparator() + "Stop it with ./tally stack down kafka");
  }

  private void requireRunning() {
    if (daemon.running().isEmpty()) {
      throw new StackException(
          "kafka exited while starting. Last lines of " + daemon.logFile() + ":" + System.lineSeparator()
              + daemon.logTail(20));
    }
  }

  /** Creates the topics that do not exist; says so for existing ones whose partition count differs from asked. */
  private void ensureTopics(Admin admin, Instant deadline) throws ExecutionException, TimeoutException {
    Set<String> existing = await(admin.listTopics().names(), deadline);
    List<NewTopic> missing = TOPICS.stream()
        .filter(topic -> !existing.contains(topic))
        .map(topic -> new NewTopic(topic, settings.kafkaPartitions(), (short) 1))
        .toList();
    if (missing.isEmpty()) {
      return;
    }
    try {
      await(admin.createTopics(missing).all(), deadline);
    } catch (ExecutionException e) {
      // Another up created them meanwhile: what was wanted.
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    out.printf("kafka: created topics %s with %d partitions each%n",
        missing.stream().map(NewTopic::name).collect(Collectors.joining(", ")), settings.kafkaPartitions());
  }

  /**
   * True once every partition of {@link #TOPICS} has a leader. Notes topics created earlier with another partition
   * count: up never changes an existing topic.
   */
  private boolean leadersElected(Admin admin, Instant deadline) throws ExecutionException, TimeoutException {
    Map<String, TopicDescription> topics;
    try {
      topics = await(admin.describeTopics(TOPICS).allTopicNames(), deadline);
    } catch (ExecutionException e) {
      if (isTransient(e)) {
        return false; // just created: the metadata has not reached the broker yet
      }
      throw e;
    }
    boolean elected = topics.values().stream()
        .allMatch(topic -> topic.partitions().stream().allMatch(partition -> partition.leader() != null));
    if (elected) {
      for (String name : TOPICS) {
        TopicDescription topic = topics.get(name);
        if (topic.partitions().size() != settings.kafkaPartitions()) {
          out.printf(
              "kafka: topic %s keeps its %d partitions (asked for %d): up leaves existing topics as they are;"
                  + " to start afresh, ./tally stack down kafka and delete %s%n",
              topic.name(), topic.partitions().size(), settings.kafkaPartitions(), baseDir());
        }
      }
    }
    return elected;
  }

  /** The cluster id and the partition count of each topic of the stack's that exists, if the broker answers soon. */
  private Optional<ClusterView> probe(String bootstrap) {
    Instant deadline = Instant.now().plus(STATUS_TIMEOUT);
    try (Admin admin = admin(bootstrap, STATUS_TIMEOUT)) {
      String clusterId = await(admin.describeCluster().clusterId(), deadline);
      Set<String> names = await(admin.listTopics().names(), deadline);
      List<String> present = TOPICS.stream().filter(names::contains).toList();
      Map<String, Integer> partitions = new LinkedHashMap<>();
      await(admin.describeTopics(present).allTopicNames(), deadline)
          .forEach((name, topic) -> partitions.put(name, topic.partitions().size()));
      return Optional.of(new ClusterView(clusterId, partitions));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  /** What {@code status} shows of a broker that answers. */
  private record ClusterView(String clusterId, Map<String, Integer> partitions) {}

  private static Admin admin(String bootstrap, Duration timeout) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "tally-stack");
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 5000));
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return Admin.create(properties);
  }

  /**
   * Errors that go away while a broker finishes starting: retriable ones, and "only 0 brokers are registered" before
   * the broker has registered with its controller.
   */
  private static boolean isTransient(ExecutionException e) {
    return e.getCause() instanceof RetriableException || e.getCause() instanceof InvalidReplicationFactorException;
  }

  private static <T> T await(KafkaFuture<T> future, Instant deadline) throws ExecutionException, TimeoutException {
    long millis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    try {
      return future.get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while waiting for kafka", e);
    }
  }

  private static String properties(Map<String, String> entries) {
    StringBuilder text = new StringBuilder("# Written by ./tally stack up kafka at every start, from its flags.\n");
    entries.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }

  private static String lastLines(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static int port(String hostAndPort) {
    return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
  }
}
