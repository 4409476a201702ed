package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A reference to another reducer.io resource. References resolve in the referring resource's own namespace
 * only; the optional namespace field exists so that a cross-namespace attempt is refused with a clear
 * condition instead of being silently pruned.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalReference {

  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the referenced resource in this resource's namespace.")
  private String name;

  @Pattern(Patterns.NAMESPACE)
  @Size(max = 63)
  @JsonPropertyDescription("Must be empty or equal to this resource's own namespace: references never cross "
      + "namespaces, and any other value is refused with reason CrossNamespaceReference.")
  private String namespace;

  public LocalReference() {
  }

  public LocalReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
