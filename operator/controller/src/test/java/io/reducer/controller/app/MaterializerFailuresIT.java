package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.testsupport.cluster.ImageEntry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Materializer pods on the local cluster that never become ready: one projection's image cannot be pulled, the
 * other's materializer exits 2 on every start. Each Projection says why (condition reason, the pod, kubelet's words
 * or the last exit code and log line) with one Warning Event, and clears once its image is fixed and real
 * materializers run.
 */
class MaterializerFailuresIT {

  private static final Duration PATIENCE = Duration.ofSeconds(40);
  private static final String MISSING_IMAGE = "registry.test/missing-materializer:1";

  private static OperatorFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.startLocalCluster(ImageEntry.of("exiting-materializer", ExitingMaterializer.class.getName()));
    fixture.startOperatorReady("--allowed-registries", "registry.test");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aBadImageAndACrashLoopAreExplainedWithOneEventEachAndClearOnceFixed() {
    fixture.kafka.createTopic("pods.state-committed", 1);
    fixture.pipeline("pods", fixture.kafka.bootstrapServers(), "pg", "pods");
    fixture.projection("pull-view", "pods", "  table: pull_view\n  materializer: {image: " + MISSING_IMAGE + "}");
    fixture.projection("crash-view", "pods", "  table: crash_view\n"
        + "  materializer: {image: registry.test/exiting-materializer:1}");

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertFailing("pull-view", "MaterializerImagePullFailed", "0 of 1 materializers ready, 1 failing; pod "
          + "pull-view-materializer-", "ErrImagePull", MISSING_IMAGE);
      assertFailing("crash-view", "MaterializerCrashLooping", "0 of 1 materializers ready, 1 failing; pod "
          + "crash-view-materializer-", "CrashLoopBackOff, last exit code 2: " + ExitingMaterializer.MESSAGE);
      assertThat(condition("crash-view", "Reconciling")).isEmpty();
    });
    StatusCapture.capture(fixture.client, Projection.class, "crash-view", "degraded-materializers-crash-looping");
    // Restarts and back-offs go on; the cause stays one Event each.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(events("pull-view", "MaterializersFailing")).singleElement().satisfies(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getMessage()).isEqualTo("cannot pull image " + MISSING_IMAGE);
      });
      assertThat(events("crash-view", "MaterializersFailing")).singleElement().satisfies(e ->
          assertThat(e.getMessage()).isEqualTo("CrashLoopBackOff, last exit code 2: " + ExitingMaterializer.MESSAGE));
    });

    // The default image: real materializers start, join the group and become ready.
    fixture.edit(Projection.class, "pull-view", p -> p.getSpec().getMaterializer().setImage(null));
    fixture.edit(Projection.class, "crash-view", p -> p.getSpec().getMaterializer().setImage(null));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (String projection : List.of("pull-view", "crash-view")) {
        assertThat(condition(projection, "Ready")).hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
          assertThat(c.getReason()).isEqualTo("MaterializersReady");
        });
        assertThat(condition(projection, "Degraded")).hasValueSatisfying(c ->
            assertThat(c.getReason()).doesNotStartWith("Materializer"));
        assertThat(events(projection, "MaterializersRecovered")).singleElement().satisfies(e ->
            assertThat(e.getType()).isEqualTo("Normal"));
        assertThat(events(projection, "MaterializersFailing")).hasSize(1);
      }
    });
  }

  private static void assertFailing(String projection, String reason, String... messageParts) {
    for (String type : List.of("Ready", "Degraded")) {
      assertThat(condition(projection, type)).as(projection + " " + type).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("Ready".equals(type) ? ConditionStatus.False : ConditionStatus.True);
        assertThat(c.getReason()).isEqualTo(reason);
        for (String part : messageParts) {
          assertThat(c.getMessage()).contains(part);
        }
      });
    }
  }

  private static Optional<Condition> condition(String projection, String type) {
    Projection current = fixture.getProjection(projection);
    return current.getStatus() == null ? Optional.empty() : current.getStatus().condition(type);
  }

  private static List<Event> events(String involved, String reason) {
    return fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
  }
}
