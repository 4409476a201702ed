package io.reducer.testsupport.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTableTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
      .withNewSpec().addNewVersion().withName("v1alpha1")
      .addNewAdditionalPrinterColumn().withName("LAG").withJsonPath(".status.consumerLag").withType("integer").endAdditionalPrinterColumn()
      .addNewAdditionalPrinterColumn().withName("HEALTH").withJsonPath(".status.health").withType("string").endAdditionalPrinterColumn()
      .addNewAdditionalPrinterColumn().withName("AGE").withJsonPath(".metadata.creationTimestamp").withType("date").endAdditionalPrinterColumn()
      .endVersion().endSpec().build();

  @Test
  void rendersColumnsInCrdOrderWithNoneForMissingValuesAndAges() throws Exception {
    JsonNode measured = JSON.readTree("{\"metadata\":{\"name\":\"orders\",\"creationTimestamp\":\"2025-10-21T12:00:00Z\"},"
        + "\"status\":{\"consumerLag\":1234,\"health\":\"Warning\"}}");
    JsonNode unmeasured = JSON.readTree("{\"metadata\":{\"name\":\"payments-view\",\"creationTimestamp\":\"2025-10-21T11:00:00Z\"}}");

    String table = new PrinterTable(crd).render(List.of(measured, unmeasured), Instant.parse("2025-10-21T12:00:45Z"));

    assertThat(table.lines()).containsExactly(
        "NAME            LAG      HEALTH    AGE",
        "orders          1234     Warning   45s",
        "payments-view   <none>   <none>    60m");
  }

  @Test
  void agesFollowKubectlUnits() {
    Instant t0 = Instant.parse("2025-10-21T00:00:00Z");
    assertThat(PrinterTable.age("2025-10-21T00:00:00Z", t0.plusSeconds(119))).isEqualTo("119s");
    assertThat(PrinterTable.age("2025-10-21T00:00:00Z", t0.plusSeconds(3 * 3600))).isEqualTo("3h");
    assertThat(PrinterTable.age("2025-10-21T00:00:00Z", t0.plusSeconds(3 * 86400))).isEqualTo("3d");
  }

  @Test
  void listingAllNamespacesAddsTheNamespaceColumnFirst() throws Exception {
    JsonNode resource = JSON.readTree("{\"metadata\":{\"name\":\"orders\",\"namespace\":\"shop\","
        + "\"creationTimestamp\":\"2025-10-21T12:00:00Z\"}}");

    String table = new PrinterTable(crd).render(List.of(resource), Instant.parse("2025-10-21T12:00:05Z"), true);

    assertThat(table.lines()).containsExactly(
        "NAMESPACE   NAME     LAG      HEALTH   AGE",
        "shop        orders   <none>   <none>   5s");
  }
}
