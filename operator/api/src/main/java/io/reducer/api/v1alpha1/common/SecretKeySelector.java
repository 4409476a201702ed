package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key of a Secret in the resource's own namespace. Credentials are only ever read from Secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeySelector {

  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the Secret, in this resource's namespace.")
  private String name;

  @Required
  @Pattern(Patterns.SECRET_KEY)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Key within the Secret whose value is used.")
  private String key;

  public SecretKeySelector() {
  }

  public SecretKeySelector(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
