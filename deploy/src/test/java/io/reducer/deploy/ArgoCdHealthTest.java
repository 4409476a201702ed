package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.deploy.LuaInterpreter.Health;
import io.reducer.deploy.StatusFixtures.Fixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * manifests/argocd/health.lua, run in a real Lua 5.1 interpreter on statuses the operator wrote in its integration
 * tests, gives the Argo CD health each status means; manifests/argocd/argocd-cm.yaml is generated from it.
 */
class ArgoCdHealthTest {

  static List<Fixture> fixtures() {
    return StatusFixtures.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachCapturedStatusHasTheHealthItMeans(Fixture fixture) {
    Health health = LuaInterpreter.health(ArgoCd.healthScript(), fixture.obj());

    assertThat(health.status()).as("%s: %s", fixture, health.message()).isEqualTo(Meaning.of(fixture).argoCd());
    assertThat(health.message()).as(fixture.name()).isNotBlank().isNotEqualTo("nil");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aStatusWrittenForAnOlderGenerationIsProgressing(Fixture fixture) {
    Health health = LuaInterpreter.health(ArgoCd.healthScript(), fixture.staleGeneration());

    assertThat(health.status()).as(fixture.name()).isEqualTo("Progressing");
    assertThat(health.message()).startsWith("Waiting for the operator to observe generation ");
  }

  @Test
  void aResourceWithoutStatusYetIsProgressing() {
    for (Fixture fixture : fixtures()) {
      assertThat(LuaInterpreter.health(ArgoCd.healthScript(), fixture.withoutStatus()))
          .isEqualTo(new Health("Progressing", "Waiting for the operator to report status"));
    }
  }

  @Test
  void everyKindIsSeenHealthyProgressingDegradedAndSuspended() {
    Map<String, Set<String>> seen = fixtures().stream().collect(Collectors.groupingBy(Fixture::kind,
        Collectors.mapping(f -> Meaning.of(f).argoCd(), Collectors.toCollection(TreeSet::new))));

    assertThat(fixtures()).extracting(Fixture::name).containsExactlyInAnyOrderElementsOf(Meaning.rows().keySet());
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ArgoCd.KINDS);
    assertThat(seen).allSatisfy((kind, healths) -> assertThat(healths).as(kind)
        .contains("Healthy", "Progressing", "Degraded", "Suspended"));
  }

  @Test
  void theConfigMapPatchHoldsTheScriptForEveryKind() {
    String patch = ArgoCd.renderConfigMapPatch(Committed.UPDATE_COMMAND);
    Committed.assertCurrent(ArgoCd.configMapPatch(), patch);

    ConfigMap parsed = new KubernetesSerialization().unmarshal(patch, ConfigMap.class);
    assertThat(parsed.getMetadata().getName()).isEqualTo("argocd-cm");
    assertThat(parsed.getData()).containsKeys(ArgoCd.KINDS.stream()
        .map(kind -> "resource.customizations.health.reducer.io_" + kind).toArray(String[]::new));
    assertThat(parsed.getData()).allSatisfy((key, script) -> {
      if (key.startsWith("resource.customizations.health.")) {
        assertThat(script).isEqualTo(ArgoCd.healthScript());
      }
    });
  }
}
