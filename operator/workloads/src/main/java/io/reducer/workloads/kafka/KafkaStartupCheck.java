package io.reducer.workloads.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Fails a workload fast, before it joins a group, on what a restart cannot fix: an unreachable broker or a
 * missing topic. Each message names the setting to fix.
 */
public final class KafkaStartupCheck {

  private static final long TIMEOUT_MS = 10_000;

  /** A topic the workload needs, and the flag and variable that name it. */
  public record RequiredTopic(String name, String setting) {
  }

  private KafkaStartupCheck() {
  }

  /**
   * @param connection client properties (bootstrap servers and security)
   * @param error builds the command's configuration exception from a message and a cause
   */
  public static <E extends Exception> void requireTopics(Map<String, Object> connection, String bootstrapServers,
      List<RequiredTopic> topics, BiFunction<String, Throwable, E> error) throws E {
    Map<String, Object> properties = new HashMap<>(connection);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS / 2);
    Admin admin;
    try {
      admin = Admin.create(properties);
    } catch (KafkaException e) {
      // An unresolvable host, a malformed address or unusable PEM already fails here, not on the first request.
      throw error.apply(KafkaFailures.invalidClient(bootstrapServers, e), e);
    }
    try (admin) {
      try {
        admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw error.apply(KafkaFailures.unreachable(bootstrapServers, TIMEOUT_MS, e), e);
      }
      Set<String> existing;
      try {
        existing = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw error.apply("cannot list Kafka topics at " + bootstrapServers
            + ": check the broker and this client's ACLs (" + KafkaFailures.rootMessage(e) + ")", e);
      }
      for (RequiredTopic topic : topics) {
        if (!existing.contains(topic.name())) {
          throw error.apply("topic '" + topic.name() + "' does not exist on " + bootstrapServers
              + ": create it (kafka-topics.sh --create --topic " + topic.name() + " ...) or fix " + topic.setting(),
              null);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw error.apply("interrupted while checking Kafka", e);
    }
  }
}
