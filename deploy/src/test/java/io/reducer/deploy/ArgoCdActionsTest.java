package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.deploy.StatusFixtures.Fixture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD resource actions in manifests/argocd/actions, run in lua5.1 on the captured statuses: each is offered
 * only where the operator would act on it, and sets only its annotation.
 */
class ArgoCdActionsTest {

  private static final Set<String> FINISHED_REPLAY = Set.of("Succeeded", "Failed", "Cancelled");

  static List<Fixture> fixtures() {
    return StatusFixtures.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void actionsAreOfferedOnlyWhereTheOperatorActsOnThem(Fixture fixture) {
    Map<String, Boolean> disabled = LuaInterpreter.actions(ArgoCd.actionScript("discovery"), fixture.obj());

    String phase = fixture.obj().path("status").path("phase").asText();
    String pausedAnnotation = fixture.obj().path("metadata").path("annotations").path("reducer.io/paused").asText();
    boolean approved = "true".equals(
        fixture.obj().path("metadata").path("annotations").path("reducer.io/approve").asText());
    Map<String, Boolean> expected = new HashMap<>();
    switch (fixture.kind()) {
      case "DlqReplay" -> {
        expected.put("approve", !"AwaitingApproval".equals(phase) || approved);
        expected.put("cancel", FINISHED_REPLAY.contains(phase));
      }
      case "WatermarkReset" -> expected.put("approve", !"AwaitingApproval".equals(phase) || approved);
      default -> {
        expected.put("pause", "true".equals(pausedAnnotation));
        expected.put("resume", !"true".equals(pausedAnnotation));
      }
    }
    assertThat(disabled).as("disabled actions of %s", fixture).isEqualTo(expected);
    assertThat(disabled.keySet()).containsExactlyInAnyOrderElementsOf(ArgoCd.ACTIONS.get(fixture.kind()));
  }

  @Test
  void theAwaitingFixturesOfferApproveAndThePausedPipelineResume() {
    Map<String, Fixture> byName = new HashMap<>();
    fixtures().forEach(f -> byName.put(f.name(), f));

    assertThat(LuaInterpreter.actions(ArgoCd.actionScript("discovery"), byName.get("DlqReplay/awaiting-approval").obj()))
        .containsEntry("approve", false).containsEntry("cancel", false);
    assertThat(LuaInterpreter.actions(ArgoCd.actionScript("discovery"),
        byName.get("WatermarkReset/awaiting-approval").obj())).containsEntry("approve", false);
    assertThat(LuaInterpreter.actions(ArgoCd.actionScript("discovery"),
        byName.get("ReducerPipeline/paused-annotation").obj())).containsEntry("resume", false)
        .containsEntry("pause", true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachActionSetsItsAnnotationAndKeepsTheOthers(Fixture fixture) {
    Map<String, String> annotations = annotations(fixture.obj());
    Map<String, String> set = Map.of("approve", "reducer.io/approve=true", "cancel", "reducer.io/cancel=true",
        "pause", "reducer.io/paused=true", "resume", "reducer.io/paused=false");
    for (String action : ArgoCd.ACTIONS.get(fixture.kind())) {
      Map<String, String> expected = new HashMap<>(annotations);
      String[] entry = set.get(action).split("=");
      expected.put(entry[0], entry[1]);

      assertThat(LuaInterpreter.act(ArgoCd.actionScript(action), fixture.obj())).as("%s on %s", action, fixture)
          .isEqualTo(expected);
      ObjectNode bare = fixture.obj().deepCopy();
      ((ObjectNode) bare.get("metadata")).remove("annotations");
      assertThat(LuaInterpreter.act(ArgoCd.actionScript(action), bare)).as("%s without annotations", action)
          .containsExactly(Map.entry(entry[0], entry[1]));
    }
  }

  @Test
  void theConfigMapPatchHoldsEachKindsActions() throws Exception {
    ConfigMap parsed = new KubernetesSerialization().unmarshal(ArgoCd.renderConfigMapPatch(Committed.UPDATE_COMMAND),
        ConfigMap.class);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    for (String kind : ArgoCd.KINDS) {
      JsonNode actions = yaml.readTree(parsed.getData().get("resource.customizations.actions.reducer.io_" + kind));
      assertThat(actions.path("discovery.lua").asText()).isEqualTo(ArgoCd.actionScript("discovery"));
      assertThat(actions.path("definitions")).extracting(d -> d.path("name").asText())
          .containsExactlyElementsOf(ArgoCd.ACTIONS.get(kind));
      actions.path("definitions").forEach(d -> assertThat(d.path("action.lua").asText())
          .isEqualTo(ArgoCd.actionScript(d.path("name").asText())));
    }
  }

  private static Map<String, String> annotations(JsonNode obj) {
    Map<String, String> annotations = new HashMap<>();
    obj.path("metadata").path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(),
        e.getValue().asText()));
    return annotations;
  }
}
