package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShadowNamesTest {

  private static final String LONGEST_TABLE = "t".repeat(63);

  @Test
  void shortNamesGetAReadableSuffix() {
    assertThat(ShadowNames.shadowTable("workflow_projection", "a1b2")).isEqualTo("workflow_projection_shadow_a1b2");
    assertThat(ShadowNames.previousTable("workflow_projection", "a1b2")).isEqualTo("workflow_projection_prev_a1b2");
    assertThat(ShadowNames.shadowProjection("workflow-projection", "a1b2")).isEqualTo("workflow-projection#shadow-a1b2");
    assertThat(ShadowNames.shadowGroup("workflow-projection", "a1b2"))
        .isEqualTo("reducer-materializer-workflow-projection-shadow-a1b2");
  }

  @Test
  void longNamesStayValidIdentifiersWithin63BytesAndApart() {
    String shadow = ShadowNames.shadowTable(LONGEST_TABLE, "abcdefghijkl");
    String sibling = ShadowNames.shadowTable("t".repeat(62) + "u", "abcdefghijkl");

    assertThat(List.of(shadow, sibling)).allSatisfy(name -> {
      assertThat(Identifiers.isValid(name)).isTrue();
      assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
      assertThat(name).endsWith("_shadow_abcdefghijkl");
    });
    assertThat(shadow).isNotEqualTo(sibling).isEqualTo(ShadowNames.shadowTable(LONGEST_TABLE, "abcdefghijkl"));
  }

  @Test
  void indexNamesFromTheCatalogMayHoldAnyCharacterAndStillGiveAValidName() {
    String derived = ShadowNames.shadowIndex("Orders Index \"ü\"", "r1");

    assertThat(Identifiers.isValid(derived)).isTrue();
    assertThat(derived).endsWith("_shadow_r1");
  }

  @Test
  void theShadowIdentityCanNeverBeAProjectionsName() {
    String identity = ShadowNames.shadowProjection("x".repeat(253), "abcdefghijkl");

    assertThat(identity).doesNotMatch("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
    assertThat(ShadowNames.isShadowProjection(identity)).isTrue();
    assertThat(ShadowNames.isShadowProjection("workflow-projection")).isFalse();
    assertThat(identity.length()).isLessThanOrEqualTo(ShadowNames.maxProjectionLength(identity));
  }

  @Test
  void aRebuildIdIsShortLowerCaseLettersAndDigits() {
    assertThatThrownBy(() -> ShadowNames.shadowTable("t", "A-1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid rebuild id");
    assertThatThrownBy(() -> ShadowNames.shadowTable("t", "abcdefghijklm")).isInstanceOf(IllegalArgumentException.class);
  }
}
