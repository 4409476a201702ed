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
 * One-shot: quiesce a projection, plan new positions, optionally wait for approval, move the consumer-group
 * offsets and the watermarks together, bump the fencing epoch and resume. Or, with spec.pipelineRef, the same for a
 * pipeline's reducers on the actions topic, where only the consumer group's offsets move. Or, with
 * spec.rebuildSource Canonical, repair a projection's stale rows from the canonical store while it keeps running.
 */
@Group(ReducerPipeline.GROUP)
@Version(ReducerPipeline.VERSION)
@ShortNames("wmr")
@Categories(ReducerPipeline.CATEGORY)
@AdditionalPrinterColumn(name = "PROJECTION", jsonPath = ".spec.projectionRef.name", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Projection being reset")
@AdditionalPrinterColumn(name = "PIPELINE", jsonPath = ".spec.pipelineRef.name", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "ReducerPipeline whose reducers are being reset")
@AdditionalPrinterColumn(name = "SOURCE", jsonPath = ".spec.rebuildSource", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Where the rows come from: Topic (positions move) or Canonical (a repair from workflow_state)")
@AdditionalPrinterColumn(name = "TARGET", jsonPath = ".spec.target.type", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Reset target type; empty for a repair (SOURCE Canonical), which moves no position")
@AdditionalPrinterColumn(name = "STRATEGY", jsonPath = ".spec.rebuildStrategy", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "How a rebuild (spec.rebuild) replaces the table: InPlace (truncate and replay) or Shadow "
        + "(fill a shadow table, then swap); InPlace also for resets that rebuild nothing")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Phase of the reset")
@AdditionalPrinterColumn(name = "EPOCH", jsonPath = ".status.plan.newEpoch", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Fencing epoch after the reset; empty for a reset of the reducers, which have none")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(value = SchemaCustomizer.MergePatchCustomizer.class, input = WatermarkReset.SCHEMA_DESCRIPTION)
public class WatermarkReset extends CustomResource<WatermarkResetSpec, WatermarkResetStatus> implements Namespaced {

  /** Root schema description shown by kubectl explain watermarkreset. */
  static final String SCHEMA_DESCRIPTION = "{\"description\": \"A one-shot reset of a projection's position: the operator quiesces the materializers, plans the new offset per partition, waits for approval if asked, then moves the watermarks, the fencing epoch and the consumer-group offsets together and resumes the projection. With spec.pipelineRef it resets the pipeline's reducers instead: they are held at zero replicas and only their consumer group's offsets on the actions topic move (the dedup log makes re-reading actions safe). With spec.rebuildSource Canonical it repairs the projection's stale rows from the canonical store (workflow_state) instead, under the materializers' version guard while they keep running, moving no position. The spec is immutable.\"}";

  @Override
  @JsonPropertyDescription("Where to move the position: projection or pipeline, target, partitions, rebuild, approval mode and dry run. Immutable.")
  public WatermarkResetSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written only by the operator: phase, history, plan and the Job that applies it.")
  public WatermarkResetStatus getStatus() {
    return super.getStatus();
  }
}
