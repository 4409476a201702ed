package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.crd.CrdValidationResult;
import io.reducer.testsupport.crd.CrdValidator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Validates resources against the committed CRDs as the API server's admission would. */
final class Admission {

  private static final Map<String, CrdValidator> BY_KIND = new HashMap<>();

  static {
    for (Path crd : ProjectLayout.committedCrds()) {
      CrdValidator validator = CrdValidator.fromYaml(crd);
      BY_KIND.put(validator.kind(), validator);
    }
  }

  private Admission() {
  }

  static CrdValidationResult validateCreate(JsonNode resource) {
    return validator(resource).validateCreate(resource);
  }

  static CrdValidationResult validateUpdate(JsonNode oldResource, JsonNode newResource) {
    return validator(newResource).validateUpdate(oldResource, newResource);
  }

  private static CrdValidator validator(JsonNode resource) {
    CrdValidator validator = BY_KIND.get(resource.path("kind").asText());
    if (validator == null) {
      throw new IllegalArgumentException("no committed CRD for kind " + resource.path("kind"));
    }
    return validator;
  }
}
