package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A pure-reducer pipeline: Kafka topics, the PostgreSQL canonical store, the reducer workload and its
 * health. Long-lived; the operator reconciles it continuously.
 */
@Group(ReducerPipeline.GROUP)
@Version(ReducerPipeline.VERSION)
@ShortNames("rp")
@Categories(ReducerPipeline.CATEGORY)
@AdditionalPrinterColumn(name = "TOPICS", jsonPath = ".status.topicsReady", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Topics ready out of declared")
@AdditionalPrinterColumn(name = "REDUCERS", jsonPath = ".status.reducersReady", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Reducer pods ready out of desired")
@AdditionalPrinterColumn(name = "CONFLICT-RATE", jsonPath = ".status.metrics.conflictRatePercent",
    type = AdditionalPrinterColumn.Type.NUMBER, getDescription = "Version conflicts per commit, percent")
@AdditionalPrinterColumn(name = "DLQ", jsonPath = ".status.metrics.dlqDepth", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Records in the dead-letter topic")
@AdditionalPrinterColumn(name = "PROJECTIONS", jsonPath = ".status.projectionsHealthy",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "Healthy projections out of the pipeline's projections")
@AdditionalPrinterColumn(name = "HEALTH", jsonPath = ".status.health", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Healthy, Warning, Critical or Unknown")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(value = SchemaCustomizer.MergePatchCustomizer.class, input = ReducerPipeline.SCHEMA_DESCRIPTION)
public class ReducerPipeline extends CustomResource<ReducerPipelineSpec, ReducerPipelineStatus> implements Namespaced {

  public static final String GROUP = "reducer.io";
  public static final String VERSION = "v1alpha1";
  /** The category of all four kinds: {@code kubectl get reducer} lists every reducer.io resource at once. */
  public static final String CATEGORY = "reducer";
  /** Root schema description shown by kubectl explain reducerpipeline. */
  static final String SCHEMA_DESCRIPTION = "{\"description\": \"A pure-reducer pipeline: its Kafka topics (actions, state-committed, dead-letter), the PostgreSQL canonical store, the reducer Deployment and its retry policy, and health thresholds. The operator creates missing topics, raises partitions, creates the store schema, runs the reducers and reports health in status.\"}";

  @Override
  @JsonPropertyDescription("Desired state: connections, topics, reducer workload, thresholds and the paused circuit breaker.")
  public ReducerPipelineSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written only by the operator: topics, reducers, health measurements and conditions.")
  public ReducerPipelineStatus getStatus() {
    return super.getStatus();
  }
}
