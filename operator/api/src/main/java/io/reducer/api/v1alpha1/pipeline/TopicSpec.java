package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Patterns;
import java.util.Map;

/**
 * A topic the pipeline uses. The operator creates it when missing and raises its partition count when the
 * spec asks for more; it never lowers partitions, never deletes a topic, and says so in a condition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TopicSpec {

  @Required
  @Pattern(Patterns.KAFKA_NAME)
  @Size(min = 1, max = 249)
  @JsonPropertyDescription("Topic name, e.g. dev.orders.evt.state-committed.v1.")
  private String name;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Desired partition count. Omit to use the broker default when creating. Raising it "
      + "adds partitions; a lower value than the topic has is refused (Kafka cannot remove partitions).")
  private Integer partitions;

  @Min(1)
  @Max(32)
  @JsonPropertyDescription("Replication factor used when the topic is created. Omit for the broker default. An "
      + "existing topic's replication factor is never changed: a different value is refused "
      + "(state ReplicationFactorChangeRefused).")
  private Integer replicationFactor;

  // A map key has no maxLength, so the API server would size it as a whole request: the size check comes first,
  // and && keeps the regex from running on a longer key. Values are bounded by the schema.
  @Size(max = 64)
  @ValidationRule(value = "self.all(k, size(k) <= 128 && k.matches('^[a-z][a-z0-9.]{0,127}$'))",
      message = "config keys are Kafka topic configs such as retention.ms: lower-case letters, digits and dots, "
          + "at most 128 characters")
  @JsonPropertyDescription("Topic configuration applied at creation and kept in sync, e.g. retention.ms: "
      + "\"2592000000\" or cleanup.policy: compact. A key whose value on the topic differs is set again; a key "
      + "removed from here keeps the topic's current value (the operator never deletes a topic config).")
  private Map<String, @Size(max = 1024) String> config;

  public TopicSpec() {
  }

  public TopicSpec(String name, Integer partitions) {
    this.name = name;
    this.partitions = partitions;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getPartitions() {
    return partitions;
  }

  public void setPartitions(Integer partitions) {
    this.partitions = partitions;
  }

  public Integer getReplicationFactor() {
    return replicationFactor;
  }

  public void setReplicationFactor(Integer replicationFactor) {
    this.replicationFactor = replicationFactor;
  }

  public Map<String, String> getConfig() {
    return config;
  }

  public void setConfig(Map<String, String> config) {
    this.config = config;
  }
}
