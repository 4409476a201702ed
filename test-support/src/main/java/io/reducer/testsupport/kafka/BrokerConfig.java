package io.reducer.testsupport.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server.properties of a single-node KRaft broker that also acts as its own controller. */
final class BrokerConfig {

  static final int NODE_ID = 1;

  private BrokerConfig() {
  }

  /**
   * @param sasl the one user of a SASL_PLAINTEXT client listener; null for a PLAINTEXT one. The controller listener
   *     is PLAINTEXT either way.
   */
  static Map<String, String> of(int brokerPort, int controllerPort, Path logDir, SaslPlainLogin sasl,
      Map<String, String> overrides) {
    String client = sasl == null ? "PLAINTEXT" : SaslPlainLogin.LISTENER;
    Map<String, String> c = new LinkedHashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", Integer.toString(NODE_ID));
    // A static voter set: the format step then needs no --standalone and the quorum is fixed.
    c.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    c.put("listeners", client + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    c.put("advertised.listeners", client + "://127.0.0.1:" + brokerPort);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("inter.broker.listener.name", client);
    c.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
    if (sasl != null) {
      c.putAll(sasl.brokerConfig());
    }
    c.put("log.dirs", logDir.toString());

    // One node: every replication factor and min ISR must be 1, or internal topics (and transactions) fail.
    c.put("default.replication.factor", "1");
    c.put("min.insync.replicas", "1");
    c.put("offsets.topic.replication.factor", "1");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    // Fewer internal partitions make the first consumer group and the first transaction start faster.
    c.put("offsets.topic.num.partitions", "1");
    c.put("transaction.state.log.num.partitions", "1");
    c.put("share.coordinator.state.topic.num.partitions", "1");
    c.put("num.partitions", "1");

    c.put("auto.create.topics.enable", "false");
    c.put("group.initial.rebalance.delay.ms", "0");
    // After SIGKILL the restarted controller refuses the broker's new registration until the old session
    // expires (DUPLICATE_BROKER_REGISTRATION); the default 9 s timeout would dominate every restart. 3 s still
    // allows twelve missed heartbeats before a busy machine fences a healthy broker.
    c.put("broker.heartbeat.interval.ms", "250");
    c.put("broker.session.timeout.ms", "3000");
    // The default 128 MiB cleaner buffer does not fit a small test heap comfortably.
    c.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    c.put("num.network.threads", "2");
    c.put("num.io.threads", "4");

    c.putAll(overrides);
    return c;
  }
}
