package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Bounds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an approval would replay: counts of the matching records in the snapshot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DlqPreview {

  @JsonPropertyDescription("Records in the snapshot that match the filter (after the limit).")
  private long matched;

  // The preview comes from the replay Job's termination message (at most 4 KiB), so the maps hold far fewer.
  @Size(max = Bounds.PARTITIONS)
  @ValidationRule(value = Bounds.MAP_KEYS_RULE, message = Bounds.MAP_KEYS_MESSAGE)
  @JsonPropertyDescription("Matching records per error type.")
  private Map<String, Long> byErrorType = new TreeMap<>();

  @Size(max = Bounds.PARTITIONS)
  @ValidationRule(value = Bounds.MAP_KEYS_RULE, message = Bounds.MAP_KEYS_MESSAGE)
  @JsonPropertyDescription("Matching records per original (target) topic.")
  private Map<String, Long> byOriginalTopic = new TreeMap<>();

  @Size(max = Bounds.PARTITIONS)
  @ValidationRule(value = Bounds.MAP_KEYS_RULE, message = Bounds.MAP_KEYS_MESSAGE)
  @JsonPropertyDescription("Matching records per DLQ partition (keys are partition numbers).")
  private Map<String, Long> byPartition = new TreeMap<>();

  @JsonPropertyDescription("Matching records whose target topic cannot be determined; they will be skipped.")
  private long unroutable;

  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("Timestamp of the oldest matching record (RFC 3339).")
  private String oldestRecordTime;

  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("Timestamp of the newest matching record (RFC 3339).")
  private String newestRecordTime;

  @Size(max = 100)
  @JsonPropertyDescription("A few matching records, for a person to check before approving.")
  private List<RecordSample> samples = new ArrayList<>();

  @JsonPropertyDescription("Matching records whose target topic is not allowed (not a topic of the pipeline, or "
      + "not in spec.allowedTargets); they will be skipped, never published.")
  private long targetNotAllowed;

  @JsonPropertyDescription("Matching records an earlier replay (any name, also one deleted since) already sent; "
      + "they will be skipped unless spec.replayAgain is true.")
  private long alreadyReplayed;

  // The inspect Job keeps the first 20 runs.
  @Size(max = 32)
  @JsonPropertyDescription("Where the already replayed records are, and which replay sent them: the first runs "
      + "per DLQ partition.")
  private List<ReplayedRange> alreadyReplayedRanges;

  public long getMatched() {
    return matched;
  }

  public void setMatched(long matched) {
    this.matched = matched;
  }

  public Map<String, Long> getByErrorType() {
    return byErrorType;
  }

  public void setByErrorType(Map<String, Long> byErrorType) {
    this.byErrorType = byErrorType;
  }

  public Map<String, Long> getByOriginalTopic() {
    return byOriginalTopic;
  }

  public void setByOriginalTopic(Map<String, Long> byOriginalTopic) {
    this.byOriginalTopic = byOriginalTopic;
  }

  public Map<String, Long> getByPartition() {
    return byPartition;
  }

  public void setByPartition(Map<String, Long> byPartition) {
    this.byPartition = byPartition;
  }

  public long getUnroutable() {
    return unroutable;
  }

  public void setUnroutable(long unroutable) {
    this.unroutable = unroutable;
  }

  public String getOldestRecordTime() {
    return oldestRecordTime;
  }

  public void setOldestRecordTime(String oldestRecordTime) {
    this.oldestRecordTime = oldestRecordTime;
  }

  public String getNewestRecordTime() {
    return newestRecordTime;
  }

  public void setNewestRecordTime(String newestRecordTime) {
    this.newestRecordTime = newestRecordTime;
  }

  public List<RecordSample> getSamples() {
    return samples;
  }

  public void setSamples(List<RecordSample> samples) {
    this.samples = samples;
  }

  public long getTargetNotAllowed() {
    return targetNotAllowed;
  }

  public void setTargetNotAllowed(long targetNotAllowed) {
    this.targetNotAllowed = targetNotAllowed;
  }

  public long getAlreadyReplayed() {
    return alreadyReplayed;
  }

  public void setAlreadyReplayed(long alreadyReplayed) {
    this.alreadyReplayed = alreadyReplayed;
  }

  public List<ReplayedRange> getAlreadyReplayedRanges() {
    return alreadyReplayedRanges;
  }

  public void setAlreadyReplayedRanges(List<ReplayedRange> alreadyReplayedRanges) {
    this.alreadyReplayedRanges = alreadyReplayedRanges;
  }
}
