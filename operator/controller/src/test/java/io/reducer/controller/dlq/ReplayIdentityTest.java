package io.reducer.controller.dlq;

import static io.reducer.controller.dlq.DlqTestResources.replay;
import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.workloads.dlq.ReplayNames;
import org.junit.jupiter.api.Test;

class ReplayIdentityTest {

  @Test
  void aReplayIsNamedByNamespaceAndNameSoItsKafkaIdentitySurvivesARecreation() {
    assertThat(ReplayIdentity.replayName(replay("fix-orders", "shop"))).isEqualTo("orders.fix-orders");
    assertThat(ReplayIdentity.consumerGroup(replay("fix-orders", "shop")))
        .isEqualTo("reducer-dlq-replay.orders.fix-orders");
    // The preview's result group carries the uid: a replay created again never reads its predecessor's preview.
    assertThat(ReplayIdentity.inspectGroup(replay("fix-orders", "shop")))
        .isEqualTo("reducer-dlq-inspect.orders.fix-orders.uid-fix-orders");
  }

  @Test
  void longNamesAreShortenedToWhatTheReplayCommandAcceptsAndStayDistinct() {
    String a = ReplayIdentity.replayName(replay("x".repeat(240) + "a", "shop"));
    String b = ReplayIdentity.replayName(replay("x".repeat(240) + "b", "shop"));

    assertThat(a).hasSize(ReplayNames.MAX_NAME_LENGTH).startsWith("orders.xxx").matches("[A-Za-z0-9._/-]+");
    assertThat(a).isNotEqualTo(b);
    assertThat(ReplayIdentity.replayName(replay("x".repeat(240) + "a", "shop"))).isEqualTo(a);
  }
}
