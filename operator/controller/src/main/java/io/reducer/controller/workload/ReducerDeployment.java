package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.api.v1alpha1.pipeline.ReducerWorkload;
import io.reducer.controller.connections.SecretSource;
import io.reducer.workloads.reducer.ReducerGroups;
import io.reducer.workloads.reducer.ReducerOptions;
import io.reducer.workloads.reducer.fsm.StateMachine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Deployment of a pipeline's reducers: the workloads image running {@code reduce} (docs/reducer.md), configured
 * through the environment from the pipeline's spec. Credentials reach the pod only as secretKeyRef.
 */
public final class ReducerDeployment {

  public static final String COMPONENT = "reducer";

  private ReducerDeployment() {
  }

  /** Labels that select a pipeline's reducer pods: kubectl get pods -l reducer.io/pipeline=NAME. */
  public static Map<String, String> selector(ReducerPipeline pipeline) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "reducer");
    labels.put("app.kubernetes.io/instance", pipeline.getMetadata().getName());
    labels.put("reducer.io/pipeline", pipeline.getMetadata().getName());
    return labels;
  }

  public static String name(ReducerPipeline pipeline) {
    return pipeline.getMetadata().getName() + "-reducer";
  }

  /** The consumer group of the actions topic: the reducers' default group ({@link ReducerGroups}). */
  public static String consumerGroup(ReducerPipeline pipeline) {
    return ReducerGroups.defaultGroup(pipeline.getMetadata().getNamespace(), pipeline.getMetadata().getName());
  }

  /**
   * @param stateMachine the checked state machine of spec.reducer.stateMachine; null for the reducer's default
   * @param secrets where the versions of the Secrets the pods read come from ({@link SecretVersions})
   */
  public static Deployment build(ReducerPipeline pipeline, String image, int replicas, StateMachine stateMachine,
      SecretSource secrets) {
    ReducerWorkload spec = pipeline.getSpec().getReducer();
    PipelineTopics topics = pipeline.getSpec().getTopics();
    List<EnvVar> env = new ArrayList<>();
    env.addAll(WorkloadEnv.kafka(pipeline));
    env.add(WorkloadEnv.plain(ReducerOptions.ACTIONS_TOPIC, topics.getActions().getName()));
    env.add(WorkloadEnv.plain(ReducerOptions.STATE_COMMITTED_TOPIC, topics.getStateCommitted().getName()));
    env.add(WorkloadEnv.plain(ReducerOptions.DLQ_TOPIC, topics.getDlq().getName()));
    env.add(WorkloadEnv.plain(ReducerOptions.GROUP, consumerGroup(pipeline)));
    // Static membership under the pod's name: a container restarted in place rejoins with its partitions at once.
    env.add(WorkloadEnv.podName(ReducerOptions.GROUP_INSTANCE_ID.variable()));
    env.add(WorkloadEnv.plain(ReducerOptions.PIPELINE, pipeline.getMetadata().getName()));
    env.add(WorkloadEnv.plain(ReducerOptions.NAMESPACE, pipeline.getMetadata().getNamespace()));
    env.add(WorkloadEnv.plain(ReducerOptions.JDBC_URL, WorkloadEnv.jdbcUrl(pipeline)));
    env.addAll(WorkloadEnv.databaseLogin(pipeline));
    if (pipeline.getSpec().getPostgres().getSchema() != null) {
      env.add(WorkloadEnv.plain(ReducerOptions.SCHEMA, pipeline.getSpec().getPostgres().getSchema()));
    }
    env.add(WorkloadEnv.plain(ReducerOptions.MAX_ATTEMPTS, String.valueOf(spec.getRetry().getMaxAttempts())));
    env.add(WorkloadEnv.plain(ReducerOptions.BACKOFF_BASE_MS, String.valueOf(spec.getRetry().getBackoffBaseMs())));
    env.add(WorkloadEnv.plain(ReducerOptions.BACKOFF_CAP_MS, String.valueOf(spec.getRetry().getBackoffCapMs())));
    env.add(WorkloadEnv.plain(ReducerOptions.DEDUP_TTL_SECONDS, String.valueOf(spec.getDedupTtlSeconds())));
    env.add(WorkloadEnv.plain(ReducerOptions.TRANSACTION_ACTIONS,
        String.valueOf(spec.getTransactions().getMaxActions())));
    env.add(WorkloadEnv.plain(ReducerOptions.COMMIT_TARGET_MS,
        String.valueOf(spec.getTransactions().getCommitTargetMs())));
    env.add(WorkloadEnv.plain(ReducerOptions.STATE_CACHE_KEYS, String.valueOf(spec.getStateCacheKeys())));
    if (stateMachine != null) {
      env.add(WorkloadEnv.plain(ReducerOptions.STATE_MACHINE, stateMachine.toJson()));
    }
    env.add(WorkloadEnv.plain(ReducerOptions.HTTP_PORT, String.valueOf(WorkloadDeployment.HTTP_PORT)));
    // Two generations of reducers may overlap: the dedup log and optimistic versions keep that safe, so a new
    // template starts its pods before the old ones stop and actions keep flowing through a rollout.
    DeploymentStrategy rolling = new DeploymentStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build();
    String namespace = pipeline.getMetadata().getNamespace();
    return new WorkloadDeployment(name(pipeline), namespace, selector(pipeline), COMPONENT, image, "reduce", env,
        spec.getResources(), rolling, SecretVersions.annotation(namespace, env, secrets)).build(replicas);
  }
}
