package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchOnlyTheOperatorsOwnNamespaceWithLeaderElection() throws Exception {
    OperatorConfig config = OperatorConfig.parse(List.of(), Map.of(), "reducer-system\n");

    assertThat(config.watchedNamespaces()).containsExactly("reducer-system");
    assertThat(config.operatorNamespace()).isEqualTo("reducer-system");
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.probeInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.allowedRegistries()).isEmpty();
    assertThat(config.httpPort()).isEqualTo(8081);
  }

  @Test
  void flagsWinOverEnvironmentAndBothAreRead() throws Exception {
    OperatorConfig config = OperatorConfig.parse(List.of("--probe-interval=2s", "--namespaces", "a,b"),
        Map.of("PROBE_INTERVAL", "1m", "OPERATOR_NAMESPACE", "ops", "ALLOWED_REGISTRIES",
            "registry.example.com/team/, mirror.example.com", "LEADER_ELECTION", "false"), null);

    assertThat(config.probeInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.watchedNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(config.allowedRegistries()).containsExactly("registry.example.com/team/", "mirror.example.com");
    assertThat(config.leaderElection()).isFalse();
  }

  @Test
  void environmentVariablesNameEverySettingOnce() {
    assertThat(OperatorConfig.environmentVariables()).hasSize(OperatorConfig.OPTIONS.size()).doesNotHaveDuplicates()
        .startsWith("WATCH_NAMESPACES", "OPERATOR_NAMESPACE").contains("WORKLOADS_IMAGE", "FINISHED_HISTORY_LIMIT");
  }

  @Test
  void starWatchesAllNamespaces() throws Exception {
    assertThat(OperatorConfig.parse(List.of("--namespaces", "*"), Map.of(), "ops").watchesAllNamespaces()).isTrue();
  }

  @Test
  void invalidValuesStopTheStartWithTheFix() {
    assertThatThrownBy(() -> OperatorConfig.parse(List.of(), Map.of(), null))
        .hasMessageContaining("OPERATOR_NAMESPACE");
    assertThatThrownBy(() -> OperatorConfig.parse(List.of("--probe-interval", "often"), Map.of(), "ops"))
        .hasMessageContaining("--probe-interval / PROBE_INTERVAL must be a duration");
    assertThatThrownBy(() -> OperatorConfig.parse(List.of("--probe-interval", "100ms"), Map.of(), "ops"))
        .hasMessageContaining("between 1s and 600s");
    assertThatThrownBy(() -> OperatorConfig.parse(List.of(), Map.of("WATCH_NAMESPACES", "Orders"), "ops"))
        .hasMessageContaining("invalid namespace 'Orders'");
    assertThatThrownBy(() -> OperatorConfig.parse(List.of(), Map.of("LEADER_ELECTION", "yes"), "ops"))
        .hasMessageContaining("must be true or false");
    assertThatThrownBy(() -> OperatorConfig.parse(List.of("--http-port", "70000"), Map.of(), "ops"))
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> OperatorConfig.parse(List.of("--workloads-image", "a b"), Map.of(), "ops"))
        .hasMessageContaining("must name an image");
    assertThatThrownBy(() -> OperatorConfig.parse(List.of("--verbose"), Map.of(), "ops"))
        .hasMessageContaining("unknown option '--verbose'").hasMessageContaining("usage:");
  }
}
