package io.reducer.controller.oneshot;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reducer.api.v1alpha1.common.Approval;
import java.util.Map;

/** Reads a user's approval of a waiting one-shot operation: the annotation reducer.io/approve: "true". */
public final class Approvals {

  private Approvals() {
  }

  public static boolean approved(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(Approval.ANNOTATION));
  }

  /** Whether the operation may go on after its plan or preview: Automatic, or Manual and approved. */
  public static boolean mayProceed(Approval approval, HasMetadata resource) {
    return approval == Approval.Automatic || approved(resource);
  }
}
