package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Bounds;
import java.util.Map;
import java.util.TreeMap;

/** Counters of a running or finished replay. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplayProgress {

  @JsonPropertyDescription("Records selected for replay.")
  private long matched;

  @JsonPropertyDescription("Records republished and committed.")
  private long replayed;

  @JsonPropertyDescription("Records not republished on purpose (replay limit reached, no target topic).")
  private long skipped;

  @Size(max = 64)
  @ValidationRule(value = Bounds.MAP_KEYS_RULE, message = Bounds.MAP_KEYS_MESSAGE)
  @JsonPropertyDescription("Skipped records per reason: maxReplays (the loop guard) or unroutable (no target topic "
      + "could be determined).")
  private Map<String, Long> skippedByReason = new TreeMap<>();

  @JsonPropertyDescription("Records that could not be republished.")
  private long failed;

  public long getMatched() {
    return matched;
  }

  public void setMatched(long matched) {
    this.matched = matched;
  }

  public long getReplayed() {
    return replayed;
  }

  public void setReplayed(long replayed) {
    this.replayed = replayed;
  }

  public long getSkipped() {
    return skipped;
  }

  public void setSkipped(long skipped) {
    this.skipped = skipped;
  }

  public Map<String, Long> getSkippedByReason() {
    return skippedByReason;
  }

  public void setSkippedByReason(Map<String, Long> skippedByReason) {
    this.skippedByReason = skippedByReason;
  }

  public long getFailed() {
    return failed;
  }

  public void setFailed(long failed) {
    this.failed = failed;
  }
}
