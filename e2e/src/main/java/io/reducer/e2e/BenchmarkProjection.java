package io.reducer.e2e;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.WatermarkReset;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** What the reset benchmarks do with their projection on the local cluster: apply a rebuild, wait for its pods. */
final class BenchmarkProjection {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private final LocalCluster cluster;
  private final String projection;

  BenchmarkProjection(LocalCluster cluster, String projection) {
    this.cluster = cluster;
    this.projection = projection;
  }

  /** Applies a WatermarkReset rebuilding the projection from the earliest offsets, approval Automatic. */
  void applyRebuild(String name, String strategy) {
    cluster.client().resources(WatermarkReset.class).inNamespace(cluster.namespace()).resource(YAML.unmarshal(
        String.join("\n",
            "apiVersion: reducer.io/v1alpha1",
            "kind: WatermarkReset",
            "metadata: {name: " + name + ", namespace: " + cluster.namespace() + "}",
            "spec:",
            "  projectionRef: {name: " + projection + "}",
            "  target: {type: earliest}",
            "  rebuild: true",
            "  rebuildStrategy: " + strategy,
            "  approval: Automatic"), WatermarkReset.class)).create();
  }

  /**
   * Waits until {@code replicas} materializers are ready and have applied {@code events}; returns how long that took
   * in ms.
   */
  long awaitRunning(int replicas, long events, Duration patience) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + patience.toNanos();
    while (System.nanoTime() < deadline) {
      Deployment deployment = cluster.client().apps().deployments().inNamespace(cluster.namespace())
          .withName(projection + "-materializer").get();
      Integer ready = deployment == null || deployment.getStatus() == null ? null
          : deployment.getStatus().getReadyReplicas();
      if (ready != null && ready == replicas && applied() == events) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the materializers did not catch up within " + patience + ":\n"
        + cluster.kubelet().dump());
  }

  /** The records the projection has applied (its watermarks' sum); -1 when the database cannot tell. */
  long applied() {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(SUM(next_offset), 0) FROM projection_watermarks "
            + "WHERE projection = '" + projection + "'")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(cluster.postgres().jdbcUrl(), cluster.postgres().user(),
        cluster.postgres().password());
  }
}
