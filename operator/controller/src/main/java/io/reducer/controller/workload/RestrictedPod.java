package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;

/** Security settings that satisfy the restricted Pod Security Standard, for every pod the operator creates. */
public final class RestrictedPod {

  /** An unprivileged uid that exists in the workloads image. */
  public static final long RUN_AS_USER = 10001L;

  private RestrictedPod() {
  }

  public static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(RUN_AS_USER)
        .withRunAsGroup(RUN_AS_USER).withFsGroup(RUN_AS_USER).withNewSeccompProfile().withType("RuntimeDefault")
        .endSeccompProfile().build();
  }

  public static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true).withCapabilities(new Capabilities(null, List.of("ALL"))).withPrivileged(false)
        .build();
  }
}
