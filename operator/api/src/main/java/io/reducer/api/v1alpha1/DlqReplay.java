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
 * One-shot: snapshot a dead-letter topic, preview what matches, optionally wait for approval, and republish
 * exactly that snapshot exactly once.
 */
@Group(ReducerPipeline.GROUP)
@Version(ReducerPipeline.VERSION)
@ShortNames("dlqr")
@Categories(ReducerPipeline.CATEGORY)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Phase of the replay")
@AdditionalPrinterColumn(name = "MATCHED", jsonPath = ".status.progress.matched", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Records selected")
@AdditionalPrinterColumn(name = "REPLAYED", jsonPath = ".status.progress.replayed", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Records republished")
@AdditionalPrinterColumn(name = "SKIPPED", jsonPath = ".status.progress.skipped", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Records skipped on purpose")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(value = SchemaCustomizer.MergePatchCustomizer.class, input = DlqReplay.SCHEMA_DESCRIPTION)
public class DlqReplay extends CustomResource<DlqReplaySpec, DlqReplayStatus> implements Namespaced {

  /** Root schema description shown by kubectl explain dlqreplay. */
  static final String SCHEMA_DESCRIPTION = "{\"description\": \"A one-shot replay of a dead-letter topic: the operator snapshots the end offsets, previews the matching records in status, waits for approval if asked, then republishes exactly that snapshot exactly once. The spec is immutable.\"}";

  @Override
  @JsonPropertyDescription("What to replay: source, filters, limit, rate, target, loop guard and approval mode. Immutable.")
  public DlqReplaySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written only by the operator: phase, history, snapshot, preview and progress.")
  public DlqReplayStatus getStatus() {
    return super.getStatus();
  }
}
