package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Patterns;

/** Where replayed records go. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplayTarget {

  @Pattern(Patterns.KAFKA_NAME)
  @Size(min = 1, max = 249)
  @JsonPropertyDescription("Send every selected record to this topic. Omit to send each record to its original "
      + "topic, as recorded in the DLQ record.")
  private String topic;

  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }
}
