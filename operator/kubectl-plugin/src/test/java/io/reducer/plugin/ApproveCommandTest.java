package io.reducer.plugin;

import static io.reducer.plugin.Fixtures.NS;
import static io.reducer.plugin.StatusCommandTest.flat;
import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.WatermarkReset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApproveCommandTest {

  @RegisterExtension
  final MockApi api = new MockApi();

  @BeforeEach
  void start() {
    Fixtures.freshLease(api.client());
  }

  @Test
  void approvingAResetPrintsThePlanAsksAndSetsTheAnnotationOnYes() {
    Fixtures.applyReset(api.client(), Fixtures.reset("rebuild-sick", "Manual", "AwaitingApproval",
        Fixtures.PLAN));

    Plugin.Result result = Plugin.run(api.kubernetes(), "yes\n", "approve", "wmr/rebuild-sick", "-n", NS);

    assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
    String out = result.out();
    assertThat(out.indexOf("PLAN: topic sick.state-committed")).isNotNegative()
        .isLessThan(out.indexOf("Approve wmr/rebuild-sick in namespace orders? Type yes to approve:"));
    assertThat(flat(out))
        .contains("consumer group reducer-orders-sick-view, epoch 3 -> 4")
        .contains("REBUILD: the projection table is TRUNCATED")
        .contains("0 1500 1200 0 1500 back 300 records")
        .contains("1 none 0 0 800 from none")
        .contains("watermarkreset.reducer.io/rebuild-sick approved");
    assertThat(annotations(WatermarkReset.class, "rebuild-sick")).containsEntry("reducer.io/approve", "true");
  }

  @Test
  void approvingAShadowCutoverPrintsHowFarTheShadowIsAndAQueryComparingTheTablesThenSetsTheCutoverAnnotation() {
    Fixtures.applyReset(api.client(), Fixtures.reset("rebuild-shadow", "Automatic", "AwaitingCutoverApproval",
        Fixtures.SHADOW));

    Plugin.Result result = Plugin.run(api.kubernetes(), "yes\n", "approve", "wmr/rebuild-shadow", "-n", NS);

    assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
    String out = result.out();
    assertThat(out.indexOf("SHADOW: table sick_view_shadow_a1b2c3d4")).isNotNegative()
        .isLessThan(out.indexOf("Approve the cutover of wmr/rebuild-shadow in namespace orders? Type yes to approve:"));
    assertThat(flat(out))
        .contains("behind the live projection: 12 records on 1 partitions (next offsets summed: live 2300, shadow 2288)")
        .contains("sick_view and sick_view_shadow_a1b2c3d4 swap in one transaction")
        .contains("the old table is dropped")
        .contains("FROM sick_view l FULL JOIN sick_view_shadow_a1b2c3d4 s USING (workflow_key)")
        .contains("watermarkreset.reducer.io/rebuild-shadow cutover approved");
    assertThat(annotations(WatermarkReset.class, "rebuild-shadow"))
        .containsEntry("reducer.io/approve-cutover", "true")
        .doesNotContainKey("reducer.io/approve");

    assertRefused("wmr/rebuild-shadow", "its cutover is approved already");
  }

  @Test
  void approvingARepairFromTheCanonicalStoreSaysWhatItWritesAndThatNothingIsHeld() {
    Fixtures.applyReset(api.client(), """
        apiVersion: reducer.io/v1alpha1
        kind: WatermarkReset
        metadata: {name: repair-sick, namespace: orders}
        spec:
          projectionRef: {name: sick-view}
          rebuildSource: Canonical
          approval: Manual
        status:
          phase: AwaitingApproval
          repair: {table: sick_view, staleRowsBefore: 17}
        """);

    Plugin.Result result = Plugin.run(api.kubernetes(), "yes\n", "approve", "wmr/repair-sick", "-n", NS);

    assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
    assertThat(flat(result.out()))
        .contains("source canonical stale")
        .contains("REPAIR from workflow_state: the stale rows of table sick_view")
        .contains("stale rows at the operator's last probe: 17")
        .contains("the materializers keep running, nothing is truncated and no position moves")
        .doesNotContain("PLAN: topic")
        .contains("watermarkreset.reducer.io/repair-sick approved");
    assertThat(annotations(WatermarkReset.class, "repair-sick")).containsEntry("reducer.io/approve", "true");
  }

  @Test
  void anyOtherAnswerLeavesItWaiting() {
    Fixtures.applyReset(api.client(), Fixtures.reset("rebuild-sick", "Manual", "AwaitingApproval",
        Fixtures.PLAN));

    Plugin.Result result = Plugin.run(api.kubernetes(), "no\n", "approve", "watermarkreset", "rebuild-sick", "-n", NS);

    assertThat(result.code()).isEqualTo(ExitCode.DECLINED);
    assertThat(result.err()).contains("not approved: wmr/rebuild-sick keeps waiting");
    assertThat(annotations(WatermarkReset.class, "rebuild-sick")).doesNotContainKey("reducer.io/approve");
    assertThat(Plugin.run(api.kubernetes(), "", "approve", "wmr/rebuild-sick", "-n", NS).code())
        .as("end of input is no answer").isEqualTo(ExitCode.DECLINED);
  }

  @Test
  void approvingAReplayWithYesPrintsThePreviewAndAsksNothing() {
    Fixtures.applyReplay(api.client(), Fixtures.replay("replay-sick", "AwaitingApproval", Fixtures.PREVIEW));

    Plugin.Result result = Plugin.run(api.kubernetes(), "", "approve", "dlqr/replay-sick", "--yes", "-n", NS);

    assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
    assertThat(flat(result.out()))
        .contains("PREVIEW: 40 records match and would be replayed")
        .contains("2 already replayed")
        .contains("INVALID_TRANSITION 30 VALIDATION_ERROR 10")
        .contains("0 7 INVALID_TRANSITION sick.actions wf-7")
        .doesNotContain("Type yes")
        .contains("dlqreplay.reducer.io/replay-sick approved");
    assertThat(annotations(DlqReplay.class, "replay-sick")).containsEntry("reducer.io/approve", "true");
  }

  @Test
  void refusesWhatDoesNotWaitForApprovalAndSaysWhy() {
    Fixtures.applyReset(api.client(), Fixtures.reset("automatic", "Automatic", "Quiescing", ""));
    Fixtures.applyReset(api.client(), Fixtures.reset("quiescing", "Manual", "Quiescing", ""));
    Fixtures.applyReset(api.client(), Fixtures.reset("completed", "Manual", "Completed", Fixtures.PLAN));
    Fixtures.applyReplay(api.client(), Fixtures.replay("previewing", "Previewing", ""));
    Fixtures.applyReplay(api.client(), Fixtures.replay("approved", "AwaitingApproval", Fixtures.PREVIEW));
    io.reducer.testsupport.kubernetes.Annotations.annotate(api.client(), DlqReplay.class, NS, "approved",
        "reducer.io/approve", "true");

    assertRefused("wmr/automatic", "spec.approval is Automatic");
    assertRefused("wmr/quiescing", "it is not waiting yet (phase Quiescing): its plan is not in status");
    assertRefused("wmr/completed", "it has finished (phase Completed)");
    assertRefused("dlqr/previewing", "it is not waiting yet (phase Previewing): its preview is not in status");
    assertRefused("dlqr/approved", "it is approved already");
  }

  @Test
  void aMissingResourceIsNotFoundAndAWrongKindIsAUsageError() {
    Plugin.Result missing = Plugin.run(api.kubernetes(), "", "approve", "dlqr/nope", "-n", NS);
    assertThat(missing.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(missing.err()).contains("DlqReplay nope not found in namespace orders; list them with: kubectl get "
        + "dlqr -n orders");

    Plugin.Result wrongKind = Plugin.run(api.kubernetes(), "", "approve", "rp/workflows", "-n", NS);
    assertThat(wrongKind.code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void approvedWhileTheOperatorIsNotRunningSaysSo() {
    api.client().leases().inNamespace("reducer-system").withName("reducer-operator-lease").delete();
    Fixtures.applyReset(api.client(), Fixtures.reset("rebuild-sick", "Manual", "AwaitingApproval",
        Fixtures.PLAN));

    Plugin.Result result = Plugin.run(api.kubernetes(), "", "approve", "wmr/rebuild-sick", "-y", "-n", NS);

    assertThat(result.code()).isEqualTo(ExitCode.OPERATOR_NOT_RUNNING);
    assertThat(result.err()).contains("NOT RUNNING").contains("the approval takes effect once it runs");
    assertThat(annotations(WatermarkReset.class, "rebuild-sick")).containsEntry("reducer.io/approve", "true");
  }

  private void assertRefused(String resource, String why) {
    Plugin.Result result = Plugin.run(api.kubernetes(), "yes\n", "approve", resource, "-n", NS);
    assertThat(result.code()).as(resource).isEqualTo(ExitCode.NOTHING_TO_APPROVE);
    assertThat(result.err()).as(resource).contains(resource + " in namespace orders does not wait for approval: " + why);
  }

  private Map<String, String> annotations(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind,
      String name) {
    Map<String, String> annotations = api.client().resources(kind).inNamespace(NS).withName(name).get()
        .getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
