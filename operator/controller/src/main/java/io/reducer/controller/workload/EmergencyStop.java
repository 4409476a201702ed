package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * The two ways to pause a pipeline or a projection: {@code spec.paused}, and the annotation
 * {@code reducer.io/paused: "true"}. The annotation exists because GitOps self-heal reverts a spec field patched by
 * hand during an incident, while it leaves an annotation that Git does not manage alone.
 */
public final class EmergencyStop {

  public static final String ANNOTATION = "reducer.io/paused";

  /** Why a resource is paused by its own spec or annotation. */
  public enum Reason {
    SpecPaused("spec.paused is true"),
    AnnotationPaused("annotation " + ANNOTATION + " is \"true\"");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  private EmergencyStop() {
  }

  /** @return the reason {@code resource} is paused, spec first; null when it runs */
  public static Reason of(HasMetadata resource, boolean specPaused) {
    if (specPaused) {
      return Reason.SpecPaused;
    }
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ANNOTATION);
    return value != null && "true".equalsIgnoreCase(value.trim()) ? Reason.AnnotationPaused : null;
  }
}
