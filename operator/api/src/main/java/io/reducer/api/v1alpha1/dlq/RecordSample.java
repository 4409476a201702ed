package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;

/** One matching DLQ record shown in the preview so a person can judge the replay. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecordSample {

  @JsonPropertyDescription("DLQ partition.")
  private int partition;

  @JsonPropertyDescription("DLQ offset.")
  private long offset;

  @Size(max = Bounds.MESSAGE)
  @JsonPropertyDescription("Record key as text (truncated).")
  private String key;

  @Size(max = Bounds.MESSAGE)
  @JsonPropertyDescription("Correlation id, if the record carries one.")
  private String correlationId;

  @Size(max = Bounds.MESSAGE)
  @JsonPropertyDescription("Error type recorded by the producer of the DLQ record.")
  private String errorType;

  @Size(max = Bounds.MESSAGE)
  @JsonPropertyDescription("Topic the record would be replayed to.")
  private String targetTopic;

  public int getPartition() {
    return partition;
  }

  public void setPartition(int partition) {
    this.partition = partition;
  }

  public long getOffset() {
    return offset;
  }

  public void setOffset(long offset) {
    this.offset = offset;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getCorrelationId() {
    return correlationId;
  }

  public void setCorrelationId(String correlationId) {
    this.correlationId = correlationId;
  }

  public String getErrorType() {
    return errorType;
  }

  public void setErrorType(String errorType) {
    this.errorType = errorType;
  }

  public String getTargetTopic() {
    return targetTopic;
  }

  public void setTargetTopic(String targetTopic) {
    this.targetTopic = targetTopic;
  }
}
