package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Resources of namespace orders as the operator leaves them: healthy, unhealthy, held, waiting. */
final class Fixtures {

  static final String NS = "orders";

  private Fixtures() {
  }

  static String pipeline(String name, String status) {
    return """
        apiVersion: reducer.io/v1alpha1
        kind: ReducerPipeline
        metadata: {name: %s, namespace: orders}
        spec:
          kafka:
            bootstrapServers: kafka:9092
            security:
              protocol: SASL_SSL
              sasl:
                mechanism: SCRAM-SHA-512
                usernameSecretRef: {name: %s-kafka, key: username}
                passwordSecretRef: {name: %s-kafka, key: password}
          topics:
            actions: {name: %s.actions, partitions: 4, replicationFactor: 1}
            stateCommitted: {name: %s.state-committed, partitions: 4, replicationFactor: 1}
            dlq: {name: %s.dlq, partitions: 1, replicationFactor: 1}
          postgres:
            host: postgres.orders.svc
            port: 5432
            database: workflows
            credentials: {secretName: %s-postgres, usernameKey: username, passwordKey: password}
          reducer: {replicas: 2}
        status:
        %s
        """.formatted(name, name, name, name, name, name, name, status.indent(2));
  }

  static final String HEALTHY_STATUS = """
      conditions:
      - {type: Ready, status: "True", reason: Ready, message: "topics, schema and reducers ready", lastTransitionTime: "2026-03-02T09:50:00Z"}
      - {type: KafkaReachable, status: "True", reason: Reachable, lastTransitionTime: "2026-03-02T09:00:00Z"}
      topics:
      - {role: actions, name: healthy.actions, partitions: 4, state: Ready}
      - {role: stateCommitted, name: healthy.state-committed, partitions: 4, state: Ready}
      - {role: dlq, name: healthy.dlq, partitions: 1, state: Ready}
      topicsReady: 3/3
      reducersReady: 2/2
      health: Healthy
      lastProbeTime: "2026-03-02T09:59:50Z"
      projectionsHealthy: 1/1
      metrics:
        conflictRatePercent: 1.25
        successRatePercent: 99.5
        gaveUpCount: 0
        commitLatencyP95Ms: 4.5
        outboxBacklog: 3
        outboxLagMs: 12
        outboxSequenceGaps: 0
        dlqDepth: 2
        dedupEntries: 1200
      """;

  static final String UNHEALTHY_STATUS = """
      conditions:
      - {type: Ready, status: "False", reason: Degraded, message: "the database is unreachable", lastTransitionTime: "2026-03-02T09:58:00Z"}
      - {type: DatabaseReachable, status: "False", reason: ConnectionRefused, message: "connection refused: postgres.orders.svc:5432", lastTransitionTime: "2026-03-02T09:58:00Z"}
      topics:
      - {role: actions, name: sick.actions, partitions: 4, state: Ready}
      - {role: stateCommitted, name: sick.state-committed, state: Unknown}
      - {role: dlq, name: sick.dlq, partitions: 1, state: PartitionDecreaseRefused, message: "the topic has 3 partitions; Kafka cannot remove partitions"}
      reducersReady: 1/2
      health: Critical
      lastProbeTime: "2026-03-02T09:59:00Z"
      metrics:
        conflictRatePercent: 12.5
        dlqDepth: 1500
      """;

  static final String HEALTHY_PROJECTION = """
      apiVersion: reducer.io/v1alpha1
      kind: Projection
      metadata: {name: healthy-view, namespace: orders}
      spec: {pipelineRef: {name: healthy}, table: healthy_view}
      status: {partitions: 4, replicas: 4, readyReplicas: 4, consumerLag: 0, watermarkLagMs: 3, health: Healthy}
      """;

  static final String HELD_PROJECTION = """
      apiVersion: reducer.io/v1alpha1
      kind: Projection
      metadata:
        name: sick-view
        namespace: orders
        annotations: {reducer.io/held-by-reset: rebuild-sick}
      spec: {pipelineRef: {name: sick}, table: sick_view}
      status: {partitions: 4, replicas: 0, readyReplicas: 0, stalledPartitions: [1, 3], activeReset: rebuild-sick}
      """;

  static String reset(String name, String approval, String phase, String extraStatus) {
    return """
        apiVersion: reducer.io/v1alpha1
        kind: WatermarkReset
        metadata: {name: %s, namespace: orders}
        spec:
          projectionRef: {name: sick-view}
          target: {type: timestamp, timestamp: "2026-03-01T12:00:00Z"}
          rebuild: true
          approval: %s
        status:
          phase: %s
        %s
        """.formatted(name, approval, phase, extraStatus.indent(2));
  }

  static final String PLAN = """
      plan:
        topic: sick.state-committed
        consumerGroup: reducer-orders-sick-view
        currentEpoch: 3
        newEpoch: 4
        truncate: true
        partitions:
        - {partition: 0, currentOffset: 1500, newOffset: 1200, logStartOffset: 0, logEndOffset: 1500}
        - {partition: 1, newOffset: 0, logStartOffset: 0, logEndOffset: 800}
      """;

  /** A Shadow rebuild's shadow, 12 records behind the live projection on one partition. */
  static final String SHADOW = """
      shadow:
        table: sick_view_shadow_a1b2c3d4
        projection: "sick-view#shadow-a1b2c3d4"
        consumerGroup: reducer-materializer-sick-view-shadow-a1b2c3d4
        deployment: rebuild-shadow-shadow
        liveOffsets: 2300
        shadowOffsets: 2288
        lag: 12
        partitionsBehind: 1
      """;

  static String replay(String name, String phase, String extraStatus) {
    return """
        apiVersion: reducer.io/v1alpha1
        kind: DlqReplay
        metadata: {name: %s, namespace: orders}
        spec:
          pipelineRef: {name: sick}
          approval: Manual
        status:
          phase: %s
        %s
        """.formatted(name, phase, extraStatus.indent(2));
  }

  static final String PREVIEW = """
      preview:
        matched: 40
        byErrorType: {INVALID_TRANSITION: 30, VALIDATION_ERROR: 10}
        byOriginalTopic: {sick.actions: 40}
        byPartition: {"0": 40}
        alreadyReplayed: 2
        oldestRecordTime: "2026-03-02T08:00:00Z"
        newestRecordTime: "2026-03-02T09:00:00Z"
        samples:
        - {partition: 0, offset: 7, errorType: INVALID_TRANSITION, targetTopic: sick.actions, correlationId: wf-7}
      """;

  static void warningEvent(KubernetesClient client, String kind, String name, String reason, String message) {
    client.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata()
        .withName(name + "." + reason.toLowerCase()).withNamespace(NS).endMetadata().withType("Warning")
        .withReason(reason).withMessage(message).withLastTimestamp("2026-03-02T09:58:30Z")
        .withNewInvolvedObject().withApiVersion("reducer.io/v1alpha1").withKind(kind).withName(name)
        .withNamespace(NS).endInvolvedObject().build()).create();
  }

  static void lease(KubernetesClient client, ZonedDateTime renewed) {
    client.leases().inNamespace("reducer-system").resource(new LeaseBuilder().withNewMetadata()
        .withName("reducer-operator-lease").withNamespace("reducer-system").endMetadata().withNewSpec()
        .withHolderIdentity("reducer-operator-7d4b9-x2k9q").withLeaseDurationSeconds(15).withRenewTime(renewed)
        .withAcquireTime(renewed).endSpec().build()).create();
  }

  static void freshLease(KubernetesClient client) {
    lease(client, ZonedDateTime.ofInstant(Plugin.NOW.minusSeconds(3), ZoneOffset.UTC));
  }

  static ReducerPipeline apply(KubernetesClient client, String yaml) {
    return Plugin.apply(client, ReducerPipeline.class, yaml);
  }

  static Projection applyProjection(KubernetesClient client, String yaml) {
    return Plugin.apply(client, Projection.class, yaml);
  }

  static WatermarkReset applyReset(KubernetesClient client, String yaml) {
    return Plugin.apply(client, WatermarkReset.class, yaml);
  }

  static DlqReplay applyReplay(KubernetesClient client, String yaml) {
    return Plugin.apply(client, DlqReplay.class, yaml);
  }
}
