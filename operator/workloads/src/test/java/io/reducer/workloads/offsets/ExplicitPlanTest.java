package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ExplicitPlanTest {

  private final List<PlannedPartition> plan = List.of(
      new PlannedPartition(0, 37L, 23, 0, 37), new PlannedPartition(2, null, 5, 5, 9));

  @Test
  void writesThePlanAsArgumentsThatParseBackToTheSamePlanAndEpochs() throws Exception {
    List<String> arguments = ExplicitPlan.arguments(plan, 3, true);
    assertThat(arguments).containsExactly("--target", "offset", "--offsets", "0=23,2=5", "--expected-epoch", "3",
        "--new-epoch", "4", "--rebuild");
    List<String> all = new ArrayList<>(arguments);
    all.remove("--rebuild");
    ResetConfig config = ResetConfig.parse(all, Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "RESET_TOPIC", "t",
        "RESET_JDBC_URL", "jdbc:postgresql://db/app", "PGUSER", "app"));
    assertThat(config.target()).isEqualTo(ResetTarget.offsets(Map.of(0, 23L, 2, 5L)));
    assertThat(config.expectedEpoch()).isEqualTo(3L);
    assertThat(config.newEpoch()).isEqualTo(4L);
    assertThat(ExplicitPlan.arguments(plan, 0, false)).doesNotContain("--rebuild").contains("0", "1");
  }

  @Test
  void anEmptyPlanHasNoExplicitForm() {
    assertThatThrownBy(() -> ExplicitPlan.offsets(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
