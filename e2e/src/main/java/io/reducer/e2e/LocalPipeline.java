package io.reducer.e2e;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.ReducerPipeline;

/**
 * A ReducerPipeline on the local cluster's broker and database, and its topics: {@code <name>.actions} and
 * {@code <name>.state-committed} with the given partitions, {@code <name>.dlq} with one. The operator does not
 * create topics itself, so they are created first.
 */
public final class LocalPipeline {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private LocalPipeline() {
  }

  /** Creates the topics and the pipeline in the cluster's namespace; credentials come from {@code secret}. */
  public static void create(LocalCluster cluster, String name, int partitions, String secret) {
    cluster.kafka().createTopic(name + ".actions", partitions);
    cluster.kafka().createTopic(stateCommittedTopic(name), partitions);
    cluster.kafka().createTopic(dlqTopic(name), 1);
    cluster.client().resources(ReducerPipeline.class).inNamespace(cluster.namespace()).resource(YAML.unmarshal(
        String.join("\n",
            "apiVersion: reducer.io/v1alpha1",
            "kind: ReducerPipeline",
            "metadata: {name: " + name + ", namespace: " + cluster.namespace() + "}",
            "spec:",
            "  kafka: {bootstrapServers: '" + cluster.kafka().bootstrapServers() + "'}",
            "  topics:",
            "    actions: {name: " + name + ".actions, partitions: " + partitions + ", replicationFactor: 1}",
            "    stateCommitted: {name: " + stateCommittedTopic(name) + ", partitions: " + partitions
                + ", replicationFactor: 1}",
            "    dlq: {name: " + dlqTopic(name) + ", partitions: 1, replicationFactor: 1}",
            "  postgres:",
            "    host: 127.0.0.1",
            "    port: " + cluster.postgres().port(),
            "    database: postgres",
            "    schema: public",
            "    sslMode: disable",
            "    credentials: {secretName: " + secret + ", usernameKey: username, passwordKey: password}",
            "  reducer: {replicas: 1}"), ReducerPipeline.class)).create();
  }

  public static String stateCommittedTopic(String pipeline) {
    return pipeline + ".state-committed";
  }

  public static String dlqTopic(String pipeline) {
    return pipeline + ".dlq";
  }
}
