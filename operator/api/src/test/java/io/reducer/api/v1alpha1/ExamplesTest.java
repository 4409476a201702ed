package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.reducer.testsupport.crd.CrdValidationResult;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in manifests/examples is a resource the API server accepts and the model reads fully. */
class ExamplesTest {

  static Stream<Path> examples() {
    return Examples.files();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleParsesIntoTheModelWithoutUnknownFields(Path file) throws Exception {
    CustomResource<?, ?> resource = Examples.parse(file);

    assertThat(resource.getMetadata().getName()).isNotBlank();
    assertThat(resource.getSpec()).isNotNull();
    assertThat(resource.getApiVersion()).isEqualTo("reducer.io/v1alpha1");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsValidAgainstTheCommittedCrdSchemaAndRules(Path file) throws Exception {
    JsonNode example = Examples.tree(file);

    CrdValidationResult result = Admission.validateCreate(example);

    assertThat(result.errors()).as("%s", file.getFileName()).isEmpty();
    assertThat(result.prunedFields()).as("fields of %s the API server would drop", file.getFileName()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleWrittenBackByTheModelIsStillValid(Path file) throws Exception {
    JsonNode written = Examples.STRICT_YAML.valueToTree(Examples.parse(file));

    CrdValidationResult result = Admission.validateCreate(written);

    assertThat(result.errors()).as("%s after the model filled in defaults", file.getFileName()).isEmpty();
    assertThat(result.prunedFields()).isEmpty();
  }
}
