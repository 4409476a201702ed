package io.reducer.testsupport.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerEnvTest {

  private final Map<String, String> env = Map.of("USER", "alice", "EMPTY", "");

  @Test
  void expandsDefinedVariables() {
    assertThat(ContainerEnv.expand("hello $(USER)!", env)).isEqualTo("hello alice!");
    assertThat(ContainerEnv.expand("[$(EMPTY)]", env)).isEqualTo("[]");
  }

  @Test
  void leavesUndefinedReferencesAndUnclosedOnesAsWritten() {
    assertThat(ContainerEnv.expand("$(NOPE) and $(USER", env)).isEqualTo("$(NOPE) and $(USER");
    assertThat(ContainerEnv.expand("costs $5", env)).isEqualTo("costs $5");
  }

  @Test
  void doubleDollarEscapes() {
    assertThat(ContainerEnv.expand("$$(USER) is $(USER)", env)).isEqualTo("$(USER) is alice");
    assertThat(ContainerEnv.expand("$$$$", env)).isEqualTo("$$");
  }
}
