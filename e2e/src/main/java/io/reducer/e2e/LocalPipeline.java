package io.reducer.e2e;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.ReducerPipeline;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ReducerPipeline on the local cluster's broker and database, and its topics: {@code <name>.actions} and
 * {@code <name>.state-committed} with the given partitions, {@code <name>.dlq} with one. They are created first,
 * with the partitions the pipeline declares, so scenarios need not wait for the operator to create them.
 */
public final class LocalPipeline {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private LocalPipeline() {
  }

  /** Where a pipeline's operator and pods reach Kafka and PostgreSQL. */
  public record Endpoints(String bootstrapServers, String databaseHost, int databasePort, String database) {
  }

  /** Creates the topics and the pipeline in the cluster's namespace; credentials come from {@code secret}. */
  public static void create(LocalCluster cluster, String name, int partitions, String secret) {
    topics(name, partitions).forEach(cluster.kafka()::createTopic);
    Endpoints endpoints = new Endpoints(cluster.kafka().bootstrapServers(), "127.0.0.1", cluster.postgres().port(),
        "postgres");
    cluster.client().resources(ReducerPipeline.class).inNamespace(cluster.namespace())
        .resource(manifest(cluster.namespace(), name, partitions, secret, endpoints)).create();
  }

  /** The pipeline's topics and their partitions, in creation order. */
  public static Map<String, Integer> topics(String name, int partitions) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(name + ".actions", partitions);
    topics.put(stateCommittedTopic(name), partitions);
    topics.put(dlqTopic(name), 1);
    return topics;
  }

  /**
   * The pipeline as a user would write it, on the given endpoints; credentials come from {@code secret}. It runs no
   * reducer pods: the scenarios that use it produce state-committed events themselves and are about what follows.
   */
  public static ReducerPipeline manifest(String namespace, String name, int partitions, String secret,
      Endpoints endpoints) {
    return YAML.unmarshal(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: ReducerPipeline",
        "metadata: {name: " + name + ", namespace: " + namespace + "}",
        "spec:",
        "  kafka: {bootstrapServers: '" + endpoints.bootstrapServers() + "'}",
        "  topics:",
        "    actions: {name: " + name + ".actions, partitions: " + partitions + ", replicationFactor: 1}",
        "    stateCommitted: {name: " + stateCommittedTopic(name) + ", partitions: " + partitions
            + ", replicationFactor: 1}",
        "    dlq: {name: " + dlqTopic(name) + ", partitions: 1, replicationFactor: 1}",
        "  postgres:",
        "    host: '" + endpoints.databaseHost() + "'",
        "    port: " + endpoints.databasePort(),
        "    database: '" + endpoints.database() + "'",
        "    schema: public",
        "    sslMode: disable",
        "    credentials: {secretName: " + secret + ", usernameKey: username, passwordKey: password}",
        "  reducer: {replicas: 0}"), ReducerPipeline.class);
  }

  public static String stateCommittedTopic(String pipeline) {
    return pipeline + ".state-committed";
  }

  public static String dlqTopic(String pipeline) {
    return pipeline + ".dlq";
  }
}
