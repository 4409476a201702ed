package io.reducer.workloads.dlq;

import io.reducer.workloads.cli.ConfigException;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;

/**
 * Which target topics exist, asked of the broker once per topic: the producer would otherwise wait for a missing
 * topic's metadata for a minute and then fail the whole transaction.
 */
final class TargetTopics {

  private final Admin admin;
  private final Set<String> existing = new HashSet<>();

  TargetTopics(Admin admin) {
    this.admin = admin;
  }

  boolean exists(String topic) throws ConfigException {
    if (existing.contains(topic)) {
      return true;
    }
    if (DlqTopic.describe(admin, topic) != null) {
      existing.add(topic);
      return true;
    }
    return false;
  }
}
