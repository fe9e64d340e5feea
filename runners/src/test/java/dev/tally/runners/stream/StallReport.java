package dev.tally.runners.stream;

import dev.tally.runners.stack.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a streaming pipeline JVM was doing when it stopped storing: the consumer group's committed offsets against the
 * topic's end offsets (all committed but rows missing means records were committed before they were stored), the
 * test schema's PostgreSQL sessions and lock waits, and the JVM's busy threads (its full thread dump goes to a file).
 */
final class StallReport {
  private static final List<String> BUSY_THREADS =
      List.of("Executor task launch", "streaming-job-executor", "JobGenerator", "JobScheduler");

  private StallReport() {}

  /** The report as text for a failure message; the full thread dump of {@code pipeline} is written next to its log. */
  static String of(StreamTestServices services, Process pipeline, String consumerGroup, Path threadDumpFile) {
    StringBuilder report = new StringBuilder();
    report.append("\n--- Kafka group ").append(consumerGroup).append(": partition=committed/end\n  ")
        .append(section(() -> offsets(services, consumerGroup)));
    report.append("\n--- PostgreSQL sessions on this database (pid state wait xact_age query)\n")
        .append(section(() -> sessions(services)));
    report.append("\n--- busy threads of the pipeline JVM (full dump: ").append(threadDumpFile).append(")\n")
        .append(section(() -> busyThreads(services, pipeline, threadDumpFile)));
    return report.toString();
  }

  private interface Section {
    String text() throws Exception;
  }

  private static String section(Section section) {
    try {
      return section.text();
    } catch (Exception e) {
      return "(unavailable: " + e + ")";
    }
  }

  private static String offsets(StreamTestServices services, String consumerGroup) throws Exception {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.settings.kafkaBootstrapServers());
    Map<TopicPartition, OffsetAndMetadata> committed;
    try (Admin admin = Admin.create(properties)) {
      committed = admin.listConsumerGroupOffsets(consumerGroup).partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS);
    }
    Map<Integer, String> rows = new TreeMap<>();
    services.partitionSizes().forEach((partition, end) -> {
      OffsetAndMetadata offset = committed.get(new TopicPartition(KafkaBroker.EVENTS_TOPIC, partition));
      rows.put(partition, (offset == null ? "none" : String.valueOf(offset.offset())) + "/" + end);
    });
    return rows.toString();
  }

  private static String sessions(StreamTestServices services) throws Exception {
    StringBuilder text = new StringBuilder();
    for (List<Object> row : services.postgres.query(
        "SELECT pid, state, coalesce(wait_event_type || ':' || wait_event, '-'), "
            + "date_trunc('second', now() - xact_start), left(regexp_replace(query, '\\s+', ' ', 'g'), 100) "
            + "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            + "AND backend_type = 'client backend' ORDER BY xact_start NULLS LAST LIMIT 15")) {
      text.append("  ").append(row).append('\n');
    }
    Object waiting = services.postgres.query("SELECT count(*) FROM pg_locks WHERE NOT granted").get(0).get(0);
    return text.append("  lock requests not granted (whole server): ").append(waiting).toString();
  }

  /** The first frames of the threads that do a streaming job's work; the whole dump to {@code file}. */
  private static String busyThreads(StreamTestServices services, Process pipeline, Path file) throws Exception {
    Process jstack = new ProcessBuilder(
        services.settings.javaExecutable().resolveSibling("jstack").toString(), String.valueOf(pipeline.pid()))
        .redirectErrorStream(true).start();
    String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jstack.waitFor(30, TimeUnit.SECONDS);
    Files.writeString(file, dump);
    StringBuilder text = new StringBuilder();
    for (String thread : dump.split("\n\n")) {
      if (BUSY_THREADS.stream().anyMatch(name -> thread.startsWith("\"" + name))) {
        List<String> lines = thread.lines().toList();
        text.append(String.join("\n", lines.subList(0, Math.min(lines.size(), 10)))).append('\n');
      }
    }
    return text.isEmpty() ? "  (none of " + BUSY_THREADS + ")" : text.toString();
  }

  /** Where run {@code run}'s thread dump goes: beside its log, under target/. */
  static Path threadDumpFile(Path dir, int run) throws IOException {
    Path log = PipelineProcess.logFile(dir, run);
    return log.resolveSibling(log.getFileName().toString().replace(".log", "-threads.txt"));
  }
}
