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

/** One read model: materializers consume a topic into a PostgreSQL table. Long-lived. */
@Group(ReducerPipeline.GROUP)
@Version(ReducerPipeline.VERSION)
@ShortNames("proj")
@Categories(ReducerPipeline.CATEGORY)
@AdditionalPrinterColumn(name = "PARTITIONS", jsonPath = ".status.partitions", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Partitions of the source topic")
@AdditionalPrinterColumn(name = "REPLICAS", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Materializer replicas wanted")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Materializer pods ready")
@AdditionalPrinterColumn(name = "LAG", jsonPath = ".status.consumerLag", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Consumer lag in records")
@AdditionalPrinterColumn(name = "WM-LAG", jsonPath = ".status.watermarkLagMs", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Watermark lag in milliseconds")
@AdditionalPrinterColumn(name = "HEALTH", jsonPath = ".status.health", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Healthy, Warning, Critical or Unknown")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(value = SchemaCustomizer.MergePatchCustomizer.class, input = Projection.SCHEMA_DESCRIPTION)
public class Projection extends CustomResource<ProjectionSpec, ProjectionStatus> implements Namespaced {

  /** Root schema description shown by kubectl explain projection. */
  static final String SCHEMA_DESCRIPTION = "{\"description\": \"One read model: materializers consume a topic (by default the pipeline's state-committed topic) into a PostgreSQL table, tracking their position per partition in projection_watermarks. The operator scales them to the partition count and reports lag and health.\"}";

  @Override
  @JsonPropertyDescription("Desired state: source, consumer group, target table, materializer workload, scaling, thresholds and pause.")
  public ProjectionSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written only by the operator: replicas, lag per partition, watermark lag, epoch, health and conditions.")
  public ProjectionStatus getStatus() {
    return super.getStatus();
  }
}
