package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.controller.kafka.ConsumerGroupState;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticMembersTest {

  private static ConsumerGroupState group(String... instanceIds) {
    return new ConsumerGroupState("g", "Stable", List.of(instanceIds), List.of(instanceIds));
  }

  @Test
  void onlyMembersNamedLikeAPodOfTheDeploymentThatIsGoneAreRemoved() {
    ConsumerGroupState group = group("orders-materializer-5f7c9d8b4-x2kq9", "orders-materializer-5f7c9d8b4-ab3de",
        "orders-materializer-66d9-zzzzz");
    assertThat(StaticMembers.ofGonePods(group, "orders-materializer", List.of("orders-materializer-5f7c9d8b4-ab3de")))
        .containsExactly("orders-materializer-5f7c9d8b4-x2kq9", "orders-materializer-66d9-zzzzz");
  }

  /** A member that is not one of the Deployment's pods may be a live consumer outside Kubernetes: never removed. */
  @Test
  void membersOfOtherProcessesAreNeverRemoved() {
    ConsumerGroupState group = group("sre-laptop", "orders-materializer-x-materializer-5f7c9-x2kq9",
        "orders-materializer-5f7c9d8b4-x2kq9-extra", "billing-materializer-5f7c9d8b4-x2kq9");
    assertThat(StaticMembers.ofGonePods(group, "orders-materializer", List.of())).isEmpty();
  }

  @Test
  void aGroupWithoutStaticMembersHasNothingToRemove() {
    ConsumerGroupState group = new ConsumerGroupState("g", "Stable", List.of("consumer-1 (client c, host /h)"));
    assertThat(StaticMembers.ofGonePods(group, "orders-materializer", List.of())).isEmpty();
  }
}
