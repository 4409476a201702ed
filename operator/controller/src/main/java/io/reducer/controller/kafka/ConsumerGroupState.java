package io.reducer.controller.kafka;

import java.util.List;

/**
 * A consumer group as Kafka describes it.
 *
 * @param state Kafka's state name (Stable, PreparingRebalance, Empty, Dead, ...); Dead for a group Kafka does not know
 * @param members one line per member: consumer id, client id and host
 */
public record ConsumerGroupState(String group, String state, List<String> members) {

  public ConsumerGroupState {
    members = List.copyOf(members);
  }

  /** No member can commit offsets or write watermarks: the only state in which a reset may proceed. */
  public boolean quiet() {
    return members.isEmpty() && ("Empty".equalsIgnoreCase(state) || "Dead".equalsIgnoreCase(state));
  }
}
