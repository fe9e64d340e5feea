package dev.tally.pipelines.io.kafka;

import dev.tally.pipelines.UserError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Checks before a streaming run starts that the brokers answer and the topics exist, naming the fix if not. */
public final class KafkaCheck {
  // 30 s, not 10: on this 2-core machine under load (20+) a live broker took over 10 s to answer a first Admin call.
  private static final int TIMEOUT_SECONDS = 30;
  private static final int CONNECT_TIMEOUT_MILLIS = 3000;

  private KafkaCheck() {}

  /**
   * @throws UserError if no broker answers within 30 s, or a topic does not exist
   */
  public static void topicsExist(String bootstrapServers, List<String> topics) {
    // A plain TCP connect first: quick, and without a Kafka client's retry warnings in front of the message.
    if (!anyAnswers(bootstrapServers)) {
      throw new UserError(
          "cannot reach Kafka at --bootstrapServers=" + bootstrapServers
              + ": start it with ./tally stack up kafka, or check --bootstrapServers");
    }
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000,
            // One connection warning a second at most while the broker is unreachable, not ten.
            AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 1000);
    Admin admin = Admin.create(config);
    try {
      try {
        admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new UserError(
            "cannot reach Kafka at --bootstrapServers=" + bootstrapServers + " within " + TIMEOUT_SECONDS
                + " s: start it with ./tally stack up kafka, or check --bootstrapServers");
      }
      for (String topic : topics) {
        try {
          admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof UnknownTopicOrPartitionException) {
            throw new UserError(
                "Kafka at " + bootstrapServers + " has no topic " + topic
                    + ": create it (./tally stack up kafka creates events and events-dlq), or check --topic"
                    + " and --deadLetterTopic");
          }
          throw new UserError("cannot describe Kafka topic " + topic + " at " + bootstrapServers + ": "
              + e.getCause().getMessage());
        } catch (TimeoutException e) {
          throw new UserError("Kafka at " + bootstrapServers + " did not describe topic " + topic + " within "
              + TIMEOUT_SECONDS + " s");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while checking Kafka at " + bootstrapServers);
    } finally {
      // Not the default close, which waits for the failed calls' full API timeout again.
      admin.close(Duration.ofSeconds(1));
    }
  }

  private static boolean anyAnswers(String bootstrapServers) {
    for (String server : bootstrapServers.split(",")) {
      int colon = server.lastIndexOf(':');
      if (colon < 0) {
        throw new UserError("--bootstrapServers=" + bootstrapServers + ": write host:port[,host:port...]");
      }
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(server.substring(0, colon).strip(), Integer.parseInt(server.substring(colon + 1).strip())),
            CONNECT_TIMEOUT_MILLIS);
        return true;
      } catch (IOException | IllegalArgumentException e) {
        // Try the next one; a bad port number is a NumberFormatException, an IllegalArgumentException.
      }
    }
    return false;
  }
}
