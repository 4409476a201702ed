package io.reducer.controller.dlq;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * A user's request to stop a DlqReplay and keep it as a record: the annotation reducer.io/cancel: "true". Deleting
 * the DlqReplay also stops it (its Jobs go with it), but leaves nothing to show what was done.
 */
public final class Cancellation {

  public static final String ANNOTATION = "reducer.io/cancel";

  private Cancellation() {
  }

  public static boolean requested(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(ANNOTATION));
  }
}
