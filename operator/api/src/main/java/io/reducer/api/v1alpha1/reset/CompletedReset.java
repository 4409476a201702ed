package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.Patterns;

/**
 * A WatermarkReset that completed, remembered by what it reset (the Projection, or the ReducerPipeline for a reset of
 * the reducers) after the reset itself is gone: a copy created again under the same name with the same spec (by a
 * GitOps tool after the history limit deleted the original) is refused instead of run a second time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CompletedReset {

  /** The newest this many completed resets are remembered per Projection or ReducerPipeline. */
  public static final int MAX_REMEMBERED = 50;

  @Required
  @Size(max = 253)
  @JsonPropertyDescription("Name of the WatermarkReset.")
  private String name;

  @Required
  @Size(max = 64)
  @JsonPropertyDescription("UID of the WatermarkReset that completed; a copy created again has another.")
  private String uid;

  @Required
  @Size(max = 64)
  @JsonPropertyDescription("SHA-256 (hex) of its spec as the API server stored it, defaults included.")
  private String specDigest;

  @Required
  @Pattern(Patterns.RFC3339)
  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("When it completed (RFC 3339).")
  private String completedAt;

  public CompletedReset() {
  }

  public CompletedReset(String name, String uid, String specDigest, String completedAt) {
    this.name = name;
    this.uid = uid;
    this.specDigest = specDigest;
    this.completedAt = completedAt;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public String getSpecDigest() {
    return specDigest;
  }

  public void setSpecDigest(String specDigest) {
    this.specDigest = specDigest;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }
}
