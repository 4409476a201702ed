package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;

/** What the operator found and did for one topic of the pipeline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TopicStatus {

  /** Which topic of the pipeline this is. */
  public enum Role { actions, stateCommitted, dlq }

  /** Outcome of the last topic reconciliation. */
  public enum State {
    /** Exists with at least the desired partitions and the declared config. */
    Ready,
    /** Not found; will be created. */
    Missing,
    /** The spec asks for fewer partitions than the topic has; Kafka cannot remove partitions, so nothing changed. */
    PartitionDecreaseRefused,
    /**
     * The spec asks for another replication factor than the existing topic has; the operator sets it only when it
     * creates a topic (changing it means reassigning every partition's replicas), so nothing changed.
     */
    ReplicationFactorChangeRefused,
    /** The operator could not read or change the topic, e.g. the broker rejected its config; see message. */
    Error,
    /** Not probed yet, or the broker was unreachable. */
    Unknown
  }

  @JsonPropertyDescription("Role of the topic in the pipeline: actions, stateCommitted or dlq.")
  private Role role;

  @Size(max = Bounds.TOPIC_NAME)
  @JsonPropertyDescription("Topic name.")
  private String name;

  @JsonPropertyDescription("Partition count observed on the broker; absent when unknown.")
  private Integer partitions;

  @JsonPropertyDescription("State of the topic: Ready, Missing, PartitionDecreaseRefused, "
      + "ReplicationFactorChangeRefused, Error (the broker refused a change; see message) or Unknown (not probed yet, "
      + "or the broker was unreachable).")
  private State state;

  @Size(max = Bounds.CONDITION_MESSAGE)
  @JsonPropertyDescription("Details, e.g. why a change was refused.")
  private String message;

  public Role getRole() {
    return role;
  }

  public void setRole(Role role) {
    this.role = role;
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

  public State getState() {
    return state;
  }

  public void setState(State state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
