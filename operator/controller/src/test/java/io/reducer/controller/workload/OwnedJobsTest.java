package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.reducer.api.v1alpha1.WatermarkReset;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnedJobsTest {

  @Test
  void aJobOfTheNameIsTheResourcesOnlyWhenItsControllerReferenceCarriesTheResourcesUid() {
    WatermarkReset recreated = reset("uid-new");
    Job old = WorkloadJob.build(reset("uid-old"), "r1-reset", "watermark-reset", "img", List.of(), List.of(), 2);

    OwnedJobs.Lookup found = OwnedJobs.find(recreated, "r1-reset", List.of(old), () -> null);

    assertThat(found.owned()).isNull();
    assertThat(found.foreign()).isSameAs(old);
    assertThat(OwnedJobs.notOwnedMessage(recreated, old))
        .contains("Job r1-reset exists but belongs to WatermarkReset r1 (uid uid-old)")
        .contains("not to this WatermarkReset (uid uid-new); it is not adopted")
        .contains("kubectl delete job r1-reset -n orders");

    Job own = WorkloadJob.build(recreated, "r1-reset", "watermark-reset", "img", List.of(), List.of(), 2);
    assertThat(OwnedJobs.find(recreated, "r1-reset", List.of(own), () -> null).owned()).isSameAs(own);
  }

  @Test
  void aJobTheInformerHasNotSeenIsAskedForAndJudgedTheSameWay() {
    WatermarkReset reset = reset("uid-1");
    Job orphan = new JobBuilder().withNewMetadata().withName("r1-reset").withNamespace("orders").endMetadata().build();

    assertThat(OwnedJobs.find(reset, "r1-reset", List.of(), () -> orphan).foreign()).isSameAs(orphan);
    assertThat(OwnedJobs.notOwnedMessage(reset, orphan)).contains("belongs to no owner");
    assertThat(OwnedJobs.find(reset, "r1-reset", List.of(), () -> null)).isEqualTo(OwnedJobs.Lookup.NONE);
  }

  private static WatermarkReset reset(String uid) {
    WatermarkReset reset = new WatermarkReset();
    reset.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("orders").withUid(uid).build());
    return reset;
  }
}
