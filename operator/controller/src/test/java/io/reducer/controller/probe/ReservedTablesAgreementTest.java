package io.reducer.controller.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.ProjectionSpec;
import io.reducer.workloads.materializer.ReservedTables;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The CRD's list of tables a projection may not name is the workloads' list, so neither can drift alone. */
class ReservedTablesAgreementTest {

  @Test
  void theCrdRuleRefusesExactlyTheTablesTheWorkloadsRefuse() {
    String list = ProjectionSpec.RESERVED_TABLES;
    String[] names = Arrays.stream(list.substring(1, list.length() - 1).split(","))
        .map(n -> n.trim().replace("'", "")).toArray(String[]::new);

    assertThat(names).containsExactlyInAnyOrderElementsOf(ReservedTables.NAMES);
  }
}
