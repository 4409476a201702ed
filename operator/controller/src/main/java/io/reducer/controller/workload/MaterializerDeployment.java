package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionSpec;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.controller.connections.SecretSource;
import io.reducer.workloads.materializer.MaterializerOptions;
import io.reducer.workloads.materializer.ProjectionGroups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Deployment of a projection's materializers: the workloads image running {@code materialize}, configured
 * through the environment. Credentials reach the pod only as secretKeyRef; the operator never copies them.
 */
public final class MaterializerDeployment {

  public static final String COMPONENT = "materializer";
  public static final int HTTP_PORT = WorkloadDeployment.HTTP_PORT;
  /** The label that names a materializer pod's projection. */
  public static final String PROJECTION_LABEL = "reducer.io/projection";

  private MaterializerDeployment() {
  }

  /** Labels that select a projection's materializer pods: kubectl get pods -l reducer.io/projection=NAME. */
  public static Map<String, String> selector(Projection projection) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "reducer-materializer");
    labels.put("app.kubernetes.io/instance", projection.getMetadata().getName());
    labels.put(PROJECTION_LABEL, projection.getMetadata().getName());
    return labels;
  }

  public static String name(Projection projection) {
    return projection.getMetadata().getName() + "-materializer";
  }

  /** The consumer group: spec.consumerGroup, or reducer.NAMESPACE.NAME. */
  public static String consumerGroup(Projection projection) {
    String group = projection.getSpec().getConsumerGroup();
    return group != null ? group
        : ProjectionGroups.defaultGroup(projection.getMetadata().getNamespace(), projection.getMetadata().getName());
  }

  /** The topic: spec.sourceTopic, or the pipeline's stateCommitted topic. */
  public static String sourceTopic(Projection projection, ReducerPipeline pipeline) {
    String topic = projection.getSpec().getSourceTopic();
    return topic != null ? topic : pipeline.getSpec().getTopics().getStateCommitted().getName();
  }

  /** @param secrets where the versions of the Secrets the pods read come from ({@link SecretVersions}) */
  public static Deployment build(Projection projection, ReducerPipeline pipeline, String image, int replicas,
      SecretSource secrets) {
    return build(projection, pipeline, image, replicas, secrets, new Target(name(projection), selector(projection),
        projection.getSpec().getTable(), projection.getMetadata().getName(), consumerGroup(projection)));
  }

  /**
   * Where a materializer Deployment writes: the live projection's, or a shadow rebuild's (its own Deployment, pod
   * labels, table, watermark identity and group; everything else as the live materializers).
   */
  public record Target(String deployment, Map<String, String> selector, String table, String projection,
      String group) {
  }

  /** The materializers of a shadow rebuild: the live ones' image, environment and resources, the shadow's target. */
  public static Deployment buildShadow(Projection projection, ReducerPipeline pipeline, String image, int replicas,
      SecretSource secrets, Target shadow) {
    return build(projection, pipeline, image, replicas, secrets, shadow);
  }

  private static Deployment build(Projection projection, ReducerPipeline pipeline, String image, int replicas,
      SecretSource secrets, Target target) {
    ProjectionSpec spec = projection.getSpec();
    PostgresConnection postgres = pipeline.getSpec().getPostgres();
    List<EnvVar> env = new ArrayList<>();
    env.addAll(WorkloadEnv.kafka(pipeline));
    env.add(WorkloadEnv.plain(MaterializerOptions.TOPIC, sourceTopic(projection, pipeline)));
    env.add(WorkloadEnv.plain(MaterializerOptions.DLQ_TOPIC, pipeline.getSpec().getTopics().getDlq().getName()));
    env.add(WorkloadEnv.plain(MaterializerOptions.GROUP, target.group()));
    // Static membership under the pod's name: a container restarted in place (kill -9, OOM) rejoins with its
    // partitions at once instead of waiting for the dead process's session to expire (docs/materializer.md).
    env.add(WorkloadEnv.podName(MaterializerOptions.GROUP_INSTANCE_ID.variable()));
    // Namespace and name key the watermarks and own the table; the uid is recorded with the owner. Adding these two
    // changed the pod template once, so upgrading the operator rolled every materializer.
    env.add(WorkloadEnv.plain(MaterializerOptions.NAMESPACE, projection.getMetadata().getNamespace()));
    env.add(WorkloadEnv.plain(MaterializerOptions.PROJECTION, target.projection()));
    String uid = projection.getMetadata().getUid();
    env.add(WorkloadEnv.plain(MaterializerOptions.PROJECTION_UID, uid == null ? "" : uid));
    env.add(WorkloadEnv.plain(MaterializerOptions.TABLE, target.table()));
    env.add(WorkloadEnv.plain(MaterializerOptions.SCHEMA, postgres.getSchema()));
    env.add(WorkloadEnv.plain(MaterializerOptions.JDBC_URL, WorkloadEnv.jdbcUrl(pipeline)));
    env.addAll(WorkloadEnv.databaseLogin(pipeline));
    env.add(WorkloadEnv.plain(MaterializerOptions.MAX_RECORDS, String.valueOf(spec.getMaterializer().getBatch().getMaxRecords())));
    env.add(WorkloadEnv.plain(MaterializerOptions.POLL_TIMEOUT_MS,
        String.valueOf(spec.getMaterializer().getBatch().getPollTimeoutMs())));
    // Only when set: an unset field keeps the materializer's default and leaves existing pod templates unchanged.
    if (spec.getMaterializer().getSessionTimeoutMs() != null) {
      env.add(WorkloadEnv.plain(MaterializerOptions.SESSION_TIMEOUT_MS, String.valueOf(spec.getMaterializer().getSessionTimeoutMs())));
    }
    if (spec.getMaterializer().getDatabaseWriters() != null) {
      env.add(WorkloadEnv.plain(MaterializerOptions.WRITERS, String.valueOf(spec.getMaterializer().getDatabaseWriters())));
    }
    if (spec.getMaterializer().getFetchWaitMs() != null) {
      env.add(WorkloadEnv.plain(MaterializerOptions.FETCH_WAIT_MS, String.valueOf(spec.getMaterializer().getFetchWaitMs())));
    }
    env.add(WorkloadEnv.plain(MaterializerOptions.HTTP_PORT, String.valueOf(HTTP_PORT)));
    // One consumer leaves before its replacement joins: no window with two owners per partition.
    DeploymentStrategy recreate = new DeploymentStrategyBuilder().withType("Recreate").build();
    return new WorkloadDeployment(target.deployment(), projection.getMetadata().getNamespace(), target.selector(),
        COMPONENT, image, "materialize", env, spec.getMaterializer().getResources(), recreate,
        SecretVersions.annotation(projection.getMetadata().getNamespace(), env, secrets)).build(replicas);
  }
}
