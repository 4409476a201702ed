package io.reducer.e2e.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka broker stopped (controlled shutdown) while events stream in, then started again on the same port with
 * its data: KafkaReachable and the projection's Degraded say so, both recover, the lag drains and nothing is lost
 * (see {@link RestartUnderLoad}). The materializers reconnect and stay in their group; none restarts.
 */
class BrokerRestartIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  @Test
  void aBrokerRestartUnderLoadShowsDegradedThenReadyAndLosesNothing() throws Exception {
    new RestartUnderLoad(cluster, "kr", "KafkaReachable", "KafkaUnreachable")
        .run(cluster.target().broker());
  }
}
