package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.deploy.StatusFixtures.Fixture;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed status fixtures still have the shape of the current status model: each reads into its status class
 * with no unknown field and writes back unchanged, and names only condition types the operator sets. A renamed or
 * removed status field fails here, which says to capture them again (docs/gitops.md).
 */
class StatusFixturesTest {

  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private static final Map<String, Class<? extends ConditionedStatus>> STATUS = Map.of(
      "ReducerPipeline", ReducerPipelineStatus.class, "Projection", ProjectionStatus.class,
      "DlqReplay", DlqReplayStatus.class, "WatermarkReset", WatermarkResetStatus.class);

  static List<Fixture> fixtures() {
    return StatusFixtures.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aFixtureReadsIntoTheCurrentStatusModelAndBackUnchanged(Fixture fixture) throws Exception {
    assertThat(fixture.obj().path("apiVersion").asText()).isEqualTo("reducer.io/v1alpha1");
    assertThat(fixture.name()).startsWith(fixture.kind() + "/");
    JsonNode status = fixture.obj().path("status");

    ConditionedStatus typed = STRICT.treeToValue(status, STATUS.get(fixture.kind()));

    // Through text, so that a Long field and the int the file holds compare equal.
    assertThat(STRICT.readTree(STRICT.writeValueAsString(typed))).isEqualTo(status);
    assertThat(typed.getConditions()).extracting(c -> c.getType()).isSubsetOf(conditionTypes());
  }

  private static Set<String> conditionTypes() {
    return Stream.of(ConditionTypes.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(StatusFixturesTest::value).collect(Collectors.toSet());
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
