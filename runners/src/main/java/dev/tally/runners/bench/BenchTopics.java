package dev.tally.runners.bench;

import dev.tally.runners.compare.CompareException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;

/** Fresh Kafka topics for one stream benchmark run, deleted afterwards (they hold every event sent). */
final class BenchTopics {
  private static final int TIMEOUT_SECONDS = 15;

  private final String bootstrapServers;

  BenchTopics(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Creates {@code topics} with {@code partitions} partitions each (empty: the broker's default).
   *
   * @throws CompareException if the broker does not answer or refuses
   */
  void create(List<String> topics, Optional<Integer> partitions) throws InterruptedException {
    try (Admin admin = admin()) {
      admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, partitions, Optional.empty())).toList())
          .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new CompareException("cannot create topics " + topics + " at Kafka " + bootstrapServers + " (" + cause
          + "): start it with ./tally stack up kafka, or pass --bootstrapServers=HOST:PORT");
    }
  }

  /** Deletes {@code topics}; a failure is returned as a note, not thrown (the figures are already measured). */
  Optional<String> delete(List<String> topics) throws InterruptedException {
    try (Admin admin = admin()) {
      admin.deleteTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return Optional.of("could not delete topics " + topics + ": " + e.getMessage());
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000));
  }
}
