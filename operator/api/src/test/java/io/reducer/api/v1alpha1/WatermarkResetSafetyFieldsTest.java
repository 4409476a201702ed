package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** spec.approvalTimeout and spec.runAgain of a WatermarkReset, as the API server admits them. */
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
