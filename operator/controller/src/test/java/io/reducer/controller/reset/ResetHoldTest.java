package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionSpec;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hold on a projection against the mock API server: two resets (here with two ResetHold instances and two
 * clients, as two operator processes during a leader hand-over would have) taking it at the same moment never both
 * win, because the annotation is written with the resourceVersion it was read at.
 */
class ResetHoldTest {

  private static final String NAMESPACE = "orders";
  private static MockKubernetes kubernetes;

  @BeforeAll
  static void start() {
    kubernetes = MockKubernetes.withCommittedCrds();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  @Test
  void ofTwoResetsTakingTheHoldAtOnceExactlyOneWinsEveryRound() throws Exception {
    KubernetesClient first = client();
    KubernetesClient second = client();
    ResetHold<Projection> holdsA = ResetHold.projections(first);
    ResetHold<Projection> holdsB = ResetHold.projections(second);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        String projection = "view-" + round;
        createProjection(projection);
        CyclicBarrier together = new CyclicBarrier(2);
        // Both resets are live: whoever finds the other's hold waits.
        Future<String> a = threads.submit(() -> {
          together.await(5, TimeUnit.SECONDS);
          return holdsA.take(NAMESPACE, projection, "reset-a", other -> true);
        });
        Future<String> b = threads.submit(() -> {
          together.await(5, TimeUnit.SECONDS);
          return holdsB.take(NAMESPACE, projection, "reset-b", other -> true);
        });
        List<String> answers = new ArrayList<>(List.of(String.valueOf(a.get(10, TimeUnit.SECONDS)),
            String.valueOf(b.get(10, TimeUnit.SECONDS))));
        String holder = ResetHold.holder(kubernetes.client().resources(Projection.class).inNamespace(NAMESPACE)
            .withName(projection).get());
        boolean aWon = "reset-a".equals(answers.get(0));
        boolean bWon = "reset-b".equals(answers.get(1));
        assertThat(aWon && bWon).as("round %d: both resets believe they hold %s (%s)", round, projection, answers)
            .isFalse();
        // One write always lands; the loser learns the winner's name, or nothing (its write was refused).
        assertThat(aWon || bWon).as("round %d: %s", round, answers).isTrue();
        assertThat(holder).isEqualTo(aWon ? "reset-a" : "reset-b");
        // Asked again, the one that holds it is told so, and the other is told who does.
        String again = holdsB.take(NAMESPACE, projection, "reset-b", other -> true);
        assertThat(again).isEqualTo(ResetHold.holder(kubernetes.client().resources(Projection.class)
            .inNamespace(NAMESPACE).withName(projection).get()));
        assertThat(again).isIn("reset-a", "reset-b");
      }
    } finally {
      threads.shutdownNow();
      first.close();
      second.close();
    }
  }

  @Test
  void aHoldWrittenAfterAnotherWriteIsRefusedNotApplied() {
    createProjection("stale");
    ResetHold<Projection> holds = ResetHold.projections(kubernetes.client());
    // Someone else takes the hold between this reset's read and its write: the take sees the other reset holding.
    kubernetes.client().resources(Projection.class).inNamespace(NAMESPACE).withName("stale").edit(p -> {
      p.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(ResetHold.ANNOTATION, "other")));
      return p;
    });

    assertThat(holds.take(NAMESPACE, "stale", "mine", other -> true)).isEqualTo("other");
    assertThat(holds.take(NAMESPACE, "stale", "mine", other -> false)).isEqualTo("mine");
    assertThat(ResetHold.holder(kubernetes.client().resources(Projection.class).inNamespace(NAMESPACE)
        .withName("stale").get())).isEqualTo("mine");
  }

  @Test
  void aHoldWhoseResetIsBeingDeletedIsReleasedWhileALiveOneStays() {
    createProjection("deleting");
    ResetHold<Projection> holds = ResetHold.projections(kubernetes.client());
    assertThat(holds.take(NAMESPACE, "deleting", "going", other -> false)).isEqualTo("going");
    WatermarkReset reset = new WatermarkReset();
    reset.setMetadata(new ObjectMetaBuilder().withName("going").withNamespace(NAMESPACE).build());
    WatermarkResetSpec spec = new WatermarkResetSpec();
    spec.setProjectionRef(new LocalReference("deleting"));
    reset.setSpec(spec);

    assertThat(holds.liveHolder(projection("deleting"), name -> reset)).isEqualTo("going");
    assertThat(ResetHold.holder(projection("deleting"))).isEqualTo("going");

    // A Shadow rebuild being deleted may be mid-cutover: its own cleanup releases the hold when that has ended.
    spec.setRebuild(true);
    spec.setRebuildStrategy(RebuildStrategy.Shadow);
    reset.getMetadata().setDeletionTimestamp("2026-12-05T17:51:12Z");
    assertThat(holds.liveHolder(projection("deleting"), name -> reset)).isEqualTo("going");

    // Any other reset deleted while the operator was down: the finalizer is still on it, and the cache may still
    // show it.
    spec.setRebuild(false);
    spec.setRebuildStrategy(null);
    assertThat(holds.liveHolder(projection("deleting"), name -> reset)).isNull();
    assertThat(ResetHold.holder(projection("deleting"))).isNull();
  }

  private static Projection projection(String name) {
    return kubernetes.client().resources(Projection.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private static KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(kubernetes.client().getConfiguration()).build();
  }

  private static void createProjection(String name) {
    Projection projection = new Projection();
    projection.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    ProjectionSpec spec = new ProjectionSpec();
    spec.setPipelineRef(new LocalReference("p"));
    spec.setTable(name.replace('-', '_'));
    projection.setSpec(spec);
    kubernetes.client().resources(Projection.class).inNamespace(NAMESPACE).resource(projection).create();
  }
}
