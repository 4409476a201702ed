package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePolicyTest {

  private final ImagePolicy policy = new ImagePolicy("ghcr.io/reducer/workloads:0.1.0", List.of("registry.example.com"));

  @Test
  void noImageMeansTheOperatorsWorkloadsImage() {
    assertThat(policy.resolve(null)).hasValue("ghcr.io/reducer/workloads:0.1.0");
  }

  @Test
  void imagesFromAllowedRegistriesAreUsedOthersRefused() {
    assertThat(policy.resolve("registry.example.com/team/materializer:2")).hasValue("registry.example.com/team/materializer:2");
    assertThat(policy.resolve("docker.io/attacker/miner:latest")).isEmpty();
    // A look-alike host is not the allowed registry.
    assertThat(policy.resolve("registry.example.com.evil.io/x:1")).isEmpty();
    assertThat(policy.refusal("docker.io/attacker/miner:latest", "spec.materializer.image"))
        .contains("registry.example.com").contains("remove it to use ghcr.io/reducer/workloads:0.1.0");
  }

  @Test
  void withNoRegistriesConfiguredOnlyTheWorkloadsImageRuns() {
    ImagePolicy strict = new ImagePolicy("ghcr.io/reducer/workloads:0.1.0", List.of());

    assertThat(strict.resolve("ghcr.io/reducer/workloads:0.1.0")).isPresent();
    assertThat(strict.resolve("ghcr.io/reducer/workloads:latest")).isEmpty();
  }
}
