package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The documented phase machines of the one-shot kinds. */
class PhaseMachineTest {

  @Test
  void dlqReplayFollowsTheDesignedPath() {
    assertThat(DlqReplayPhase.Pending.canMoveTo(DlqReplayPhase.Previewing)).isTrue();
    assertThat(DlqReplayPhase.Previewing.canMoveTo(DlqReplayPhase.AwaitingApproval)).isTrue();
    assertThat(DlqReplayPhase.AwaitingApproval.canMoveTo(DlqReplayPhase.Replaying)).isTrue();
    assertThat(DlqReplayPhase.Replaying.canMoveTo(DlqReplayPhase.Succeeded)).isTrue();
    // A preview-only replay ends after previewing; an automatic one skips approval.
    assertThat(DlqReplayPhase.Previewing.canMoveTo(DlqReplayPhase.Succeeded)).isTrue();
    assertThat(DlqReplayPhase.Previewing.canMoveTo(DlqReplayPhase.Replaying)).isTrue();
    // Never replay without a preview, never go back, never leave a terminal phase.
    assertThat(DlqReplayPhase.Pending.canMoveTo(DlqReplayPhase.Replaying)).isFalse();
    assertThat(DlqReplayPhase.Replaying.canMoveTo(DlqReplayPhase.Previewing)).isFalse();
    assertThat(EnumSet.allOf(DlqReplayPhase.class).stream().filter(DlqReplayPhase::isTerminal))
        .containsExactlyInAnyOrder(DlqReplayPhase.Succeeded, DlqReplayPhase.Failed, DlqReplayPhase.Cancelled);
    for (DlqReplayPhase phase : DlqReplayPhase.values()) {
      assertThat(phase.isTerminal() || phase.canMoveTo(DlqReplayPhase.Failed))
          .as("%s can fail", phase).isTrue();
    }
    assertThat(reachable(DlqReplayPhase.Pending)).containsExactlyInAnyOrder(DlqReplayPhase.values());
  }

  @Test
  void watermarkResetFollowsTheDesignedPath() {
    assertThat(WatermarkResetPhase.Pending.canMoveTo(WatermarkResetPhase.Quiescing)).isTrue();
    assertThat(WatermarkResetPhase.Quiescing.canMoveTo(WatermarkResetPhase.Planned)).isTrue();
    assertThat(WatermarkResetPhase.Planned.canMoveTo(WatermarkResetPhase.AwaitingApproval)).isTrue();
    assertThat(WatermarkResetPhase.Planned.canMoveTo(WatermarkResetPhase.Resetting)).isTrue();
    assertThat(WatermarkResetPhase.AwaitingApproval.canMoveTo(WatermarkResetPhase.Resetting)).isTrue();
    assertThat(WatermarkResetPhase.Resetting.canMoveTo(WatermarkResetPhase.Resuming)).isTrue();
    assertThat(WatermarkResetPhase.Resuming.canMoveTo(WatermarkResetPhase.Completed)).isTrue();
    // A dry run resumes straight from its plan.
    assertThat(WatermarkResetPhase.Planned.canMoveTo(WatermarkResetPhase.Resuming)).isTrue();
    // A repair from the canonical store goes to Repairing without quiescing or planning, and on only by Resuming.
    assertThat(WatermarkResetPhase.Pending.canMoveTo(WatermarkResetPhase.Repairing)).isTrue();
    assertThat(WatermarkResetPhase.AwaitingApproval.canMoveTo(WatermarkResetPhase.Repairing)).isTrue();
    assertThat(WatermarkResetPhase.Repairing.next())
        .containsExactlyInAnyOrder(WatermarkResetPhase.Resuming, WatermarkResetPhase.Failed);
    // Never reset without quiescing and planning first.
    assertThat(WatermarkResetPhase.Pending.canMoveTo(WatermarkResetPhase.Resetting)).isFalse();
    assertThat(WatermarkResetPhase.Quiescing.canMoveTo(WatermarkResetPhase.Resetting)).isFalse();
    assertThat(EnumSet.allOf(WatermarkResetPhase.class).stream().filter(WatermarkResetPhase::isTerminal))
        .containsExactlyInAnyOrder(WatermarkResetPhase.Completed, WatermarkResetPhase.Failed);
    for (WatermarkResetPhase phase : WatermarkResetPhase.values()) {
      assertThat(phase.isTerminal() || phase.canMoveTo(WatermarkResetPhase.Failed))
          .as("%s can fail", phase).isTrue();
    }
    assertThat(reachable(WatermarkResetPhase.Pending)).containsExactlyInAnyOrder(WatermarkResetPhase.values());
  }

  private static Set<DlqReplayPhase> reachable(DlqReplayPhase start) {
    Set<DlqReplayPhase> seen = EnumSet.of(start);
    Deque<DlqReplayPhase> todo = new ArrayDeque<>(seen);
    while (!todo.isEmpty()) {
      for (DlqReplayPhase next : todo.pop().next()) {
        if (seen.add(next)) {
          todo.push(next);
        }
      }
    }
    return seen;
  }

  private static Set<WatermarkResetPhase> reachable(WatermarkResetPhase start) {
    Set<WatermarkResetPhase> seen = EnumSet.of(start);
    Deque<WatermarkResetPhase> todo = new ArrayDeque<>(seen);
    while (!todo.isEmpty()) {
      for (WatermarkResetPhase next : todo.pop().next()) {
        if (seen.add(next)) {
          todo.push(next);
        }
      }
    }
    return seen;
  }
}
