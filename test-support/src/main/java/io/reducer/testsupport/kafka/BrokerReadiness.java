package io.reducer.testsupport.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Admin-based checks that a broker can take writes. A listening port is not enough: after a restart the broker is
 * fenced, and its partitions (internal ones included) have no leader until the controller unfences it.
 */
final class BrokerReadiness {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  private BrokerReadiness() {
  }

  /** True when the broker is registered and unfenced and every partition of every topic has a leader. */
  static boolean isReady(Admin admin) throws InterruptedException {
    try {
      Collection<Node> nodes = admin.describeCluster().nodes().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        return false;
      }
      Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return allHaveLeaders(admin, topics);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  static boolean allHaveLeaders(Admin admin, Collection<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (topics.isEmpty()) {
      return true;
    }
    Map<String, TopicDescription> descriptions;
    try {
      descriptions = admin.describeTopics(topics).allTopicNames()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        // e.g. a topic the controller just created and the broker's metadata does not show yet
        return false;
      }
      throw e;
    }
    for (TopicDescription description : descriptions.values()) {
      for (TopicPartitionInfo partition : description.partitions()) {
        Node leader = partition.leader();
        if (leader == null || leader.isEmpty()) {
          return false;
        }
      }
    }
    return true;
  }
}
