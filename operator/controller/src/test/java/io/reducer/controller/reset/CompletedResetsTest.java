package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.reset.CompletedReset;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletedResetsTest {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");

  @Test
  void equalSpecsHaveEqualDigestsHoweverTheyAreWritten() {
    WatermarkReset a = reset("r1", "u1", "projectionRef: {name: p}\n  target: {type: latest}\n  approval: Manual");
    WatermarkReset b = reset("r1", "u2", "approval: Manual\n  target: {type: latest}\n  projectionRef: {name: p}");
    WatermarkReset again = reset("r1", "u3",
        "projectionRef: {name: p}\n  target: {type: latest}\n  approval: Manual\n  runAgain: true");

    assertThat(CompletedResets.digest(a.getSpec())).isEqualTo(CompletedResets.digest(b.getSpec())).hasSize(64);
    assertThat(CompletedResets.digest(again.getSpec())).isNotEqualTo(CompletedResets.digest(a.getSpec()));
  }

  @Test
  void aCopyIsTheSameNameAndSpecUnderAnotherUid() {
    WatermarkReset original = reset("r1", "u1", "projectionRef: {name: p}\n  target: {type: latest}");
    List<CompletedReset> remembered = CompletedResets.remember(null, original, NOW);

    assertThat(remembered).singleElement().satisfies(r -> {
      assertThat(r.getName()).isEqualTo("r1");
      assertThat(r.getUid()).isEqualTo("u1");
      assertThat(r.getCompletedAt()).isEqualTo("2026-03-01T10:00:00Z");
    });
    assertThat(CompletedResets.copyOf(remembered, original)).isNull();
    assertThat(CompletedResets.copyOf(remembered,
        reset("r1", "u2", "projectionRef: {name: p}\n  target: {type: latest}"))).isNotNull();
    assertThat(CompletedResets.copyOf(remembered,
        reset("r2", "u2", "projectionRef: {name: p}\n  target: {type: latest}"))).isNull();
    assertThat(CompletedResets.copyOf(remembered,
        reset("r1", "u2", "projectionRef: {name: p}\n  target: {type: earliest}"))).isNull();
  }

  @Test
  void aDryRunIsNeitherRememberedNorACopyBecausePlanningAgainChangesNothing() {
    String dryRun = "projectionRef: {name: p}\n  target: {type: latest}\n  dryRun: true";

    List<CompletedReset> remembered = CompletedResets.remember(null, reset("r1", "u1", dryRun), NOW);

    assertThat(remembered).isEmpty();
    assertThat(CompletedResets.copyOf(
        CompletedResets.remember(null, reset("r1", "u1", "projectionRef: {name: p}\n  target: {type: latest}"), NOW),
        reset("r1", "u2", dryRun))).isNull();
  }

  @Test
  void theNewestAreRememberedOnceEach() {
    List<CompletedReset> remembered = null;
    for (int i = 0; i < CompletedReset.MAX_REMEMBERED + 5; i++) {
      remembered = CompletedResets.remember(remembered,
          reset("r" + i, "u" + i, "projectionRef: {name: p}\n  target: {type: latest}"), NOW.plusSeconds(i));
    }
    WatermarkReset newest = reset("r54", "u54", "projectionRef: {name: p}\n  target: {type: latest}");

    assertThat(remembered).hasSize(CompletedReset.MAX_REMEMBERED);
    assertThat(remembered.get(0).getName()).isEqualTo("r5");
    assertThat(CompletedResets.remember(remembered, newest, NOW)).isEqualTo(remembered);
  }

  private static WatermarkReset reset(String name, String uid, String spec) {
    WatermarkReset reset = YAML.unmarshal("apiVersion: reducer.io/v1alpha1\nkind: WatermarkReset\nmetadata:\n  name: "
        + name + "\nspec:\n  " + spec + "\n", WatermarkReset.class);
    reset.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("orders").withUid(uid).build());
    return reset;
  }
}
