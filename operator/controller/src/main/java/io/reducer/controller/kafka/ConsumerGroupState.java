package io.reducer.controller.kafka;

import java.util.List;

/**
 * A consumer group as Kafka describes it.
 *
 * @param state Kafka's state name (Stable, PreparingRebalance, Empty, Dead, ...); Dead for a group Kafka does not know
 * @param members one line per member: consumer id, client id and host (and instance id of a static member)
 * @param staticMembers the group.instance.id of every static member; such a member stays in the group until its
 *     session times out when its process dies without leaving
 */
public record ConsumerGroupState(String group, String state, List<String> members, List<String> staticMembers) {

  public ConsumerGroupState {
    members = List.copyOf(members);
    staticMembers = List.copyOf(staticMembers);
  }

  /** A group without static members. */
  public ConsumerGroupState(String group, String state, List<String> members) {
    this(group, state, members, List.of());
  }

  /** No member can commit offsets or write watermarks: the only state in which a reset may proceed. */
  public boolean quiet() {
    return members.isEmpty() && ("Empty".equalsIgnoreCase(state) || "Dead".equalsIgnoreCase(state));
  }
}
