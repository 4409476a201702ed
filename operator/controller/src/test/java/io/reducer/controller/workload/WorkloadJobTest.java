package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadJobTest {

  @Test
  void jobNamesFitALabelValueAndStayDistinct() {
    String longName = "reset-" + "x".repeat(240);
    String a = WorkloadJob.name(owner(longName + "a"), "reset");
    String b = WorkloadJob.name(owner(longName + "b"), "reset");

    assertThat(WorkloadJob.name(owner("orders-2026"), "reset")).isEqualTo("orders-2026-reset");
    assertThat(a).hasSizeLessThanOrEqualTo(63).endsWith("-reset").isNotEqualTo(b);
    assertThat(a).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void theJobRunsOnceAsAnUnprivilegedPodOwnedByItsResource() {
    Job job = WorkloadJob.build(owner("r1"), "r1-reset", "watermark-reset", "img:1", List.of("offsets", "reset"),
        List.of(WorkloadEnv.plain("A", "b")), 2);

    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getController()).isTrue());
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
        .getAllowPrivilegeEscalation()).isFalse();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("offsets", "reset");
  }

  private static ConfigMap owner(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("u-" + name)
        .endMetadata().build();
  }
}
