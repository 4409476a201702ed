package io.reducer.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** JSON and YAML as kubectl prints them, through fabric8's serialization of the API model. */
final class Json {

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {
  }

  static String pretty(Object value) {
    try {
      JsonNode tree = MAPPER.readTree(SERIALIZATION.asJson(value));
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Whether the text is one JSON document. */
  static boolean isJson(String text) {
    try {
      return !text.isBlank() && STRICT.readTree(text) != null;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  static String yaml(Object value) {
    return SERIALIZATION.asYaml(value);
  }
}
