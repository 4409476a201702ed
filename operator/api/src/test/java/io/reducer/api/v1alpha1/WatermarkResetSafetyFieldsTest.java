package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * spec.approvalTimeout, spec.runAgain and the target of a Shadow rebuild of a WatermarkReset, as the API server admits
 * them.
 */
class WatermarkResetSafetyFieldsTest {

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

  private static ObjectNode shadowRebuild(String target) throws Exception {
    ObjectNode reset = example().deepCopy();
    ObjectNode spec = (ObjectNode) reset.path("spec");
    spec.set("target", new com.fasterxml.jackson.databind.ObjectMapper().readTree(target));
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
