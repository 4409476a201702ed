package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec.approvalTimeout, spec.runAgain, the target of a Shadow rebuild and the fields of a repair from the canonical
 * store of a WatermarkReset, as the API server admits them.
 */
class WatermarkResetSafetyFieldsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theApprovalTimeoutIsAnIsoDurationWithAnAmount() throws Exception {
    for (String accepted : new String[] {"PT1H", "PT30M", "P1D", "PT90S"}) {
      ObjectNode reset = withSpec("approvalTimeout", accepted);
      assertThat(Admission.validateCreate(reset).errors()).as(accepted).isEmpty();
    }
    for (String refused : new String[] {"1h", "P", "PT", "forever", "-PT1H"}) {
      ObjectNode reset = withSpec("approvalTimeout", refused);
      assertThat(Admission.validateCreate(reset).valid()).as(refused).isFalse();
    }
  }

  @Test
  void runAgainIsPartOfTheImmutableSpec() throws Exception {
    JsonNode reset = example();
    ObjectNode again = reset.deepCopy();
    ((ObjectNode) again.path("spec")).put("runAgain", true);

    assertThat(Admission.validateCreate(again).errors()).isEmpty();
    assertThat(Admission.validateUpdate(reset, again).errors()).anyMatch(e -> e.contains("spec is immutable"));
  }

  @Test
  void aShadowRebuildIsAdmittedOnlyWithTargetEarliestAndSaysWhy() throws Exception {
    ObjectNode earliest = shadowRebuild("{\"type\": \"earliest\"}");
    assertThat(Admission.validateCreate(earliest).errors()).isEmpty();
    for (String target : new String[] {"{\"type\": \"latest\"}",
        "{\"type\": \"timestamp\", \"timestamp\": \"2025-10-21T12:00:00Z\"}",
        "{\"type\": \"offset\", \"offsets\": [{\"partition\": 0, \"offset\": 5}]}",
        "{\"type\": \"shiftBy\", \"shiftBy\": -100}", "{\"type\": \"byDuration\", \"duration\": \"PT1H\"}"}) {
      ObjectNode reset = shadowRebuild(target);
      assertThat(Admission.validateCreate(reset).errors()).as(target)
          .anyMatch(e -> e.contains("rebuildStrategy Shadow supports only target type earliest"));
      ((ObjectNode) reset.path("spec")).put("rebuildStrategy", "InPlace");
      assertThat(Admission.validateCreate(reset).errors()).as("InPlace, " + target).isEmpty();
    }
  }

  @Test
  void aCanonicalRepairNeedsAProjectionAndNoPositionAndSaysWhy() throws Exception {
    ObjectNode repair = canonicalRepair();
    assertThat(Admission.validateCreate(repair).errors()).isEmpty();
    ObjectNode oneKey = canonicalRepair();
    ((ObjectNode) oneKey.path("spec")).set("repair", JSON.readTree("{\"scope\": \"All\", \"workflowKey\": \"o-1\"}"));
    assertThat(Admission.validateCreate(oneKey).errors()).isEmpty();

    assertRefused(canonicalRepair(), "target", "{\"type\": \"earliest\"}", "omit target and partitions");
    assertRefused(canonicalRepair(), "partitions", "[0]", "omit target and partitions");
    assertRefused(canonicalRepair(), "rebuild", "true", "never truncates");
    ObjectNode shadow = canonicalRepair();
    ((ObjectNode) shadow.path("spec")).put("rebuildStrategy", "Shadow");
    assertThat(Admission.validateCreate(shadow).errors())
        .anyMatch(e -> e.contains("rebuildStrategy Shadow does not apply to rebuildSource Canonical"));
    ObjectNode reducers = canonicalRepair();
    ObjectNode spec = (ObjectNode) reducers.path("spec");
    spec.set("pipelineRef", spec.remove("projectionRef"));
    assertThat(Admission.validateCreate(reducers).errors())
        .anyMatch(e -> e.contains("rebuildSource Canonical repairs a projection table from workflow_state"));
    ObjectNode badScope = canonicalRepair();
    ((ObjectNode) badScope.path("spec")).set("repair", JSON.readTree("{\"scope\": \"Everything\"}"));
    assertThat(Admission.validateCreate(badScope).valid()).isFalse();
  }

  @Test
  void onlyACanonicalRepairGoesWithoutTargetOrWithRepair() throws Exception {
    ObjectNode noTarget = example().deepCopy();
    ((ObjectNode) noTarget.path("spec")).remove("target");
    assertThat(Admission.validateCreate(noTarget).errors())
        .anyMatch(e -> e.contains("target is required (only rebuildSource Canonical goes without one"));
    ObjectNode topic = example().deepCopy();
    ((ObjectNode) topic.path("spec")).set("repair", JSON.readTree("{\"scope\": \"Stale\"}"));
    assertThat(Admission.validateCreate(topic).errors())
        .anyMatch(e -> e.contains("repair applies only to rebuildSource Canonical"));
  }

  private static void assertRefused(ObjectNode reset, String field, String value, String because) throws Exception {
    ((ObjectNode) reset.path("spec")).set(field, JSON.readTree(value));
    assertThat(Admission.validateCreate(reset).errors()).as(field).anyMatch(e -> e.contains(because));
  }

  /** The example reset as a repair of its projection's stale rows. */
  private static ObjectNode canonicalRepair() throws Exception {
    ObjectNode reset = example().deepCopy();
    ObjectNode spec = (ObjectNode) reset.path("spec");
    spec.remove(List.of("target", "rebuild", "dryRun"));
    spec.put("rebuildSource", "Canonical");
    return reset;
  }

  private static ObjectNode shadowRebuild(String target) throws Exception {
    ObjectNode reset = example().deepCopy();
    ObjectNode spec = (ObjectNode) reset.path("spec");
    spec.set("target", JSON.readTree(target));
    spec.put("rebuild", true);
    spec.put("rebuildStrategy", "Shadow");
    spec.put("approval", "Automatic");
    return reset;
  }

  private static ObjectNode withSpec(String field, String value) throws Exception {
    ObjectNode reset = example().deepCopy();
    ((ObjectNode) reset.path("spec")).put(field, value);
    return reset;
  }

  private static JsonNode example() throws Exception {
    Path file = Examples.files().filter(f -> f.getFileName().toString().equals("watermarkreset.yaml")).findFirst()
        .orElseThrow(() -> new AssertionError("no example watermarkreset.yaml"));
    return Examples.tree(file);
  }
}
