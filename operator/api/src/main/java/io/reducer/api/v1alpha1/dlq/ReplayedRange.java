package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * DLQ offsets [startOffset, endOffset) of one partition, from the first to the last of a run of selected records
 * that an earlier replay already sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplayedRange {

  @JsonPropertyDescription("DLQ partition number.")
  private int partition;

  @JsonPropertyDescription("Offset of the first record of the run.")
  private long startOffset;

  @JsonPropertyDescription("Offset after the last record of the run; records between that this replay does not "
      + "select are not counted.")
  private long endOffset;

  // <namespace>.<name> is at most 317 characters; a name given by hand gets room to spare.
  @Size(max = 1024)
  @JsonPropertyDescription("The replay that sent them: <namespace>.<name> of a DlqReplay, or a --replay-name.")
  private String replayName;

  public ReplayedRange() {
  }

  public ReplayedRange(int partition, long startOffset, long endOffset, String replayName) {
    this.partition = partition;
    this.startOffset = startOffset;
    this.endOffset = endOffset;
    this.replayName = replayName;
  }

  public int getPartition() {
    return partition;
  }

  public void setPartition(int partition) {
    this.partition = partition;
  }

  public long getStartOffset() {
    return startOffset;
  }

  public void setStartOffset(long startOffset) {
    this.startOffset = startOffset;
  }

  public long getEndOffset() {
    return endOffset;
  }

  public void setEndOffset(long endOffset) {
    this.endOffset = endOffset;
  }

  public String getReplayName() {
    return replayName;
  }

  public void setReplayName(String replayName) {
    this.replayName = replayName;
  }
}
