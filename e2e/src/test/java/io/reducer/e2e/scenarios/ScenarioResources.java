package io.reducer.e2e.scenarios;

import io.reducer.testsupport.kubernetes.Annotations;
import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import io.reducer.e2e.LocalPipeline;

/**
 * The custom resources of the scenarios, written as a user would write them (YAML), and their status as
 * {@code kubectl get -o yaml} would show it.
 */
public final class ScenarioResources {

  public static final String DATABASE_SECRET = "pg";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private final ScenarioCluster cluster;

  ScenarioResources(ScenarioCluster cluster) {
    this.cluster = cluster;
  }

  /** A pipeline on the target's broker and database, with its topics (see {@link LocalPipeline}). */
  public void pipeline(String name, int partitions, String credentialsSecret) {
    LocalPipeline.topics(name, partitions).forEach(cluster::createTopic);
    ScenarioTarget target = cluster.target();
    LocalPipeline.Endpoints endpoints = new LocalPipeline.Endpoints(target.kafkaBootstrapServersInCluster(),
        target.databaseHostInCluster(), target.databasePortInCluster(), target.databaseName());
    client().resources(ReducerPipeline.class).inNamespace(NAMESPACE)
        .resource(LocalPipeline.manifest(NAMESPACE, name, partitions, credentialsSecret, endpoints)).create();
  }

  /** A projection of {@code pipeline} into {@code table}; {@code extraSpec} lines are added under spec. */
  public void projection(String name, String pipeline, String table, String... extraSpec) {
    create(Projection.class, manifest("Projection", name, "pipelineRef: {name: " + pipeline + "}",
        "table: '" + table + "'", String.join("\n  ", extraSpec)));
  }

  /** A WatermarkReset of {@code projection}; {@code extraSpec} lines (target, rebuild, approval) go under spec. */
  public void reset(String name, String projection, String... extraSpec) {
    create(WatermarkReset.class, manifest("WatermarkReset", name, "projectionRef: {name: " + projection + "}",
        String.join("\n  ", extraSpec)));
  }

  /** kubectl annotate wmr NAME reducer.io/approve=true */
  public void approve(String reset) {
    Annotations.annotate(client(), WatermarkReset.class, NAMESPACE, reset, "reducer.io/approve", "true");
  }

  /** Creates any manifest as given, e.g. one with a field a user got wrong. */
  public <T extends HasMetadata> void create(Class<T> kind, String yaml) {
    client().resources(kind).inNamespace(NAMESPACE).resource(YAML.unmarshal(yaml, kind)).create();
  }

  public ProjectionStatus projectionStatus(String name) {
    Projection projection = client().resources(Projection.class).inNamespace(NAMESPACE).withName(name).get();
    return projection == null || projection.getStatus() == null ? new ProjectionStatus() : projection.getStatus();
  }

  public ReducerPipelineStatus pipelineStatus(String name) {
    ReducerPipeline pipeline = client().resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(name).get();
    return pipeline == null || pipeline.getStatus() == null ? new ReducerPipelineStatus() : pipeline.getStatus();
  }

  public WatermarkResetStatus resetStatus(String name) {
    WatermarkReset reset = client().resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name).get();
    return reset == null || reset.getStatus() == null ? new WatermarkResetStatus() : reset.getStatus();
  }

  /** A condition as kubectl describe shows it, "True/Reason", or "absent". */
  public static String condition(ConditionedStatus status, String type) {
    return status.condition(type).map(ScenarioResources::describe).orElse("absent");
  }

  /** A manifest of {@code kind} in the scenarios' namespace with the given lines under spec. */
  public static String manifest(String kind, String name, String... specLines) {
    return String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: " + kind,
        "metadata: {name: " + name + ", namespace: " + NAMESPACE + "}",
        "spec:",
        "  " + String.join("\n  ", specLines));
  }

  public static String stateCommittedTopic(String pipeline) {
    return LocalPipeline.stateCommittedTopic(pipeline);
  }

  public static String dlqTopic(String pipeline) {
    return LocalPipeline.dlqTopic(pipeline);
  }

  private static String describe(Condition condition) {
    return condition.getStatus() + "/" + condition.getReason();
  }

  private KubernetesClient client() {
    return cluster.client();
  }
}
