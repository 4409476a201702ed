package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The little of ObjectMeta validation that matters for tests: a custom resource needs a name (or generateName on
 * create), the name must be a DNS-1123 subdomain, and it cannot change on update.
 */
final class ObjectMetaCheck {

  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_NAME_LENGTH = 253;

  private ObjectMetaCheck() {
  }

  /** @param old the stored object on update, null on create */
  static List<String> check(JsonNode object, JsonNode old) {
    List<String> errors = new ArrayList<>();
    JsonNode metadata = object.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      if (old != null || metadata.path("generateName").asText("").isEmpty()) {
        errors.add("metadata.name: Required value: name or generateName is required");
      }
    } else if (name.length() > MAX_NAME_LENGTH || !DNS_1123_SUBDOMAIN.matcher(name).matches()) {
      errors.add("metadata.name: Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist"
          + " of lower case alphanumeric characters, '-' or '.', and must start and end with an"
          + " alphanumeric character (at most " + MAX_NAME_LENGTH + " characters)");
    }
    if (old != null && !name.isEmpty() && !name.equals(old.path("metadata").path("name").asText(""))) {
      errors.add("metadata.name: Invalid value: \"" + name + "\": field is immutable");
    }
    return errors;
  }
}
