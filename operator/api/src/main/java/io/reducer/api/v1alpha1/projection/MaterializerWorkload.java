package io.reducer.api.v1alpha1.projection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Patterns;
import io.reducer.api.v1alpha1.common.WorkloadResources;

/** The materializer Deployment the operator owns for this projection. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaterializerWorkload {

  @Pattern(Patterns.IMAGE)
  @Size(max = 512)
  @JsonPropertyDescription("Materializer image. Omit for the operator's workloads image; other images are only "
      + "accepted from registries the operator's configuration allows.")
  private String image;

  @JsonPropertyDescription("CPU and memory for each materializer pod.")
  private WorkloadResources resources;

  @JsonPropertyDescription("Batching of reads and database writes.")
  private BatchSettings batch = new BatchSettings();

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public WorkloadResources getResources() {
    return resources;
  }

  public void setResources(WorkloadResources resources) {
    this.resources = resources;
  }

  public BatchSettings getBatch() {
    return batch;
  }

  public void setBatch(BatchSettings batch) {
    this.batch = batch;
  }
}
