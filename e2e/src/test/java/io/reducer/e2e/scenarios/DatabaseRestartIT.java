package io.reducer.e2e.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stopped (fast shutdown) while events stream in, then started again: DatabaseReachable and the
 * projection's Degraded say so, both recover, the lag drains and nothing is lost (see {@link RestartUnderLoad}).
 * The materializers roll the failed batches back and retry; none restarts.
 */
class DatabaseRestartIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  @Test
  void aDatabaseRestartUnderLoadShowsDegradedThenReadyAndLosesNothing() throws Exception {
    new RestartUnderLoad(cluster, "pgr", "DatabaseReachable", "DatabaseUnreachable")
        .run(cluster.target().database());
  }
}
