package io.reducer.controller.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionSpec;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.projection.PartitionLag;
import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.probe.ProbeFailureReason;
import io.reducer.controller.probe.ProjectionMeasurement;
import io.reducer.controller.probe.ProjectionProbe;
import io.reducer.controller.workload.EmergencyStop;
import io.reducer.workloads.materializer.TableOwner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectionDeciderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aNewProjectionWaitsForItsFirstProbeWithoutCreatingMaterializers() {
    var decision = ProjectionDecider.decide(projection(), new ProjectionObservation(), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getReplicas()).isZero();
    assertThat(decision.next()).isEqualTo(Decision.Next.after(Duration.ofSeconds(
        projection().getSpec().getHealth().getProbeIntervalSeconds())));
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(condition(decision, "Reconciling").getReason()).isEqualTo("ProbePending");
    assertThat(decision.status().getHealth()).isEqualTo(HealthLevel.Unknown);
    assertThat(decision.status().getConsumerLag()).isNull();
  }

  @Test
  void measuredPartitionsSetTheReplicasAndReadyWaitsForThePods() {
    Projection projection = projection();
    var decision = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(4)).deployment(null, 0), NOW);

    assertThat(applied(decision)).isEqualTo(4);
    assertThat(condition(decision, "Ready").getReason()).isEqualTo("MaterializersNotReady");
    assertThat(condition(decision, "Reconciling").getMessage()).isEqualTo("0 of 4 materializers ready");

    projection.setStatus(decision.status());
    var ready = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(4)).deployment(4, 4), NOW.plusSeconds(5));
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(ready.status().condition("Reconciling")).isEmpty();
    assertThat(condition(ready, "Degraded").getStatus()).isEqualTo(ConditionStatus.False);
  }

  @Test
  void theSameProbeTwiceYieldsTheSameStatusSoNothingIsWritten() {
    Projection projection = projection();
    ProjectionObservation observed = new ProjectionObservation().probe(healthy(2)).deployment(2, 2);
    projection.setStatus(ProjectionDecider.decide(projection, observed, NOW).status());

    ProjectionObservation again = new ProjectionObservation()
        .probe(new ProjectionProbe(2, measurement(2, 0L), 0L, 0, null, null, NOW.plusSeconds(30)))
        .deployment(2, 2);
    var later = ProjectionDecider.decide(projection, again, NOW.plusSeconds(30));

    assertThat(io.reducer.controller.status.StatusWriter.same(projection.getStatus(), later.status())).isTrue();
    assertThat(later.events()).isEmpty();
  }

  @Test
  void scalingUpRecordsAnEventAndTheScaleTime() {
    Projection projection = projection();
    projection.setStatus(ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(3)).deployment(3, 3), NOW).status());

    var decision = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(6)).deployment(3, 3), NOW.plusSeconds(10));

    assertThat(applied(decision)).isEqualTo(6);
    assertThat(decision.status().getLastScaleTime()).isEqualTo("2026-03-01T10:00:10Z");
    assertThat(decision.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ScaledUp);
    assertThat(decision.events().get(0).message()).contains("from 3 to 6").contains("6 partitions");
  }

  @Test
  void pauseScalesToZeroAndResumeRestoresTheComputedCount() {
    Projection projection = projection();
    projection.setStatus(ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(3)).deployment(3, 3), NOW).status());
    projection.getSpec().setPaused(true);

    var paused = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(3)).deployment(3, 3), NOW.plusSeconds(1));
    assertThat(applied(paused)).isZero();
    assertThat(condition(paused, "Paused").getReason()).isEqualTo("SpecPaused");
    assertThat(paused.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Paused);

    projection.setStatus(paused.status());
    projection.getSpec().setPaused(false);
    var resumed = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(3)).deployment(0, 0), NOW.plusSeconds(2));
    assertThat(applied(resumed)).isEqualTo(3);
    assertThat(condition(resumed, "Paused").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(resumed.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Resumed);
  }

  @Test
  void aResetOrAPausedPipelineAlsoHoldsTheProjectionAtZero() {
    var held = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(healthy(3)).deployment(3, 3).heldByReset("rewind-1"), NOW);
    assertThat(applied(held)).isZero();
    assertThat(condition(held, "Paused").getReason()).isEqualTo("ResetInProgress");
    assertThat(held.status().getActiveReset()).isEqualTo("rewind-1");

    var pipelinePaused = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(healthy(3)).deployment(3, 3)
            .pipelinePause(EmergencyStop.Reason.AnnotationPaused), NOW);
    assertThat(applied(pipelinePaused)).isZero();
    assertThat(condition(pipelinePaused, "Paused").getReason()).isEqualTo("PipelinePaused");
    assertThat(condition(pipelinePaused, "Paused").getMessage()).contains("reducer.io/paused");
  }

  @Test
  void theEmergencyStopAnnotationPausesAProjectionThatGitOpsKeepsUnpausedInItsSpec() {
    Projection projection = projection();
    projection.getMetadata().setAnnotations(java.util.Map.of(EmergencyStop.ANNOTATION, "true"));
    var paused = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(3)).deployment(3, 3), NOW);
    assertThat(applied(paused)).isZero();
    assertThat(condition(paused, "Paused").getReason()).isEqualTo("AnnotationPaused");
    assertThat(paused.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Paused);

    projection.setStatus(paused.status());
    projection.getMetadata().setAnnotations(java.util.Map.of(EmergencyStop.ANNOTATION, "false"));
    var resumed = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(3)).deployment(0, 0), NOW.plusSeconds(5));
    assertThat(applied(resumed)).isEqualTo(3);
    assertThat(condition(resumed, "Paused").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(resumed.events()).extracting(PlannedEvent::reason).contains(EventReason.Resumed);
  }

  @Test
  void aRefusedSpecIsStalledLeavesTheDeploymentAloneAndWarnsOnce() {
    Projection projection = projection();
    ProjectionObservation refused = new ProjectionObservation().refused("ImageNotAllowed", "image x not allowed")
        .deployment(2, 2);
    var decision = ProjectionDecider.decide(projection, refused, NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("ImageNotAllowed");
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(decision.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Refused);

    projection.setStatus(decision.status());
    assertThat(ProjectionDecider.decide(projection, refused, NOW.plusSeconds(5)).events()).isEmpty();
  }

  @Test
  void aRefusedSpecHeldByAResetScalesOnlyTheExistingDeploymentToZeroAndStaysStalled() {
    Projection projection = projection();
    projection.setStatus(ProjectionDecider.decide(projection, new ProjectionObservation().probe(healthy(3))
        .refused("ImageNotAllowed", "image x not allowed").deployment(3, 3), NOW).status());

    var held = ProjectionDecider.decide(projection, new ProjectionObservation().probe(healthy(3))
        .refused("ImageNotAllowed", "image x not allowed").deployment(3, 3).heldByReset("rewind-1"),
        NOW.plusSeconds(10));

    assertThat(held.effect()).isEqualTo(new MaterializerChange.ScaleOnly(0));
    assertThat(held.status().getReplicas()).isZero();
    assertThat(held.status().getLastScaleTime()).isEqualTo("2026-03-01T10:00:10Z");
    assertThat(held.status().getActiveReset()).isEqualTo("rewind-1");
    assertThat(condition(held, "Stalled").getReason()).isEqualTo("ImageNotAllowed");
    assertThat(condition(held, "Ready").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(condition(held, "Ready").getReason()).isEqualTo("ImageNotAllowed");
    assertThat(condition(held, "Paused").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(condition(held, "Paused").getReason()).isEqualTo("ResetInProgress");
    assertThat(held.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.Paused);
      assertThat(e.message()).isEqualTo("Scaled materializers from 3 to 0: WatermarkReset rewind-1 holds the "
          + "projection; the spec stays refused (ImageNotAllowed), so nothing else is changed");
    });

    // Once the pods are gone nothing more is said, and the same observation twice writes nothing.
    projection.setStatus(held.status());
    ProjectionObservation stopped = new ProjectionObservation().probe(healthy(3))
        .refused("ImageNotAllowed", "image x not allowed").deployment(0, 0).heldByReset("rewind-1");
    var again = ProjectionDecider.decide(projection, stopped, NOW.plusSeconds(20));
    assertThat(again.effect()).isEqualTo(new MaterializerChange.ScaleOnly(0));
    assertThat(again.events()).isEmpty();
    projection.setStatus(again.status());
    var third = ProjectionDecider.decide(projection, stopped, NOW.plusSeconds(30));
    assertThat(io.reducer.controller.status.StatusWriter.same(projection.getStatus(), third.status())).isTrue();
    assertThat(third.events()).isEmpty();
  }

  @Test
  void aRefusedSpecThatIsPausedOrWhosePipelineIsPausedStopsItsMaterializers() {
    ProjectionProbe missingTopic = ProjectionProbe.failed(KafkaFailure.Reason.TopicNotFound, "topic t does not exist", NOW);
    Projection paused = projection();
    paused.getSpec().setPaused(true);
    var specPaused = ProjectionDecider.decide(paused,
        new ProjectionObservation().probe(missingTopic).deployment(2, 2), NOW);
    assertThat(specPaused.effect()).isEqualTo(new MaterializerChange.ScaleOnly(0));
    assertThat(condition(specPaused, "Stalled").getReason()).isEqualTo("TopicNotFound");
    assertThat(condition(specPaused, "Paused").getReason()).isEqualTo("SpecPaused");
    assertThat(specPaused.events()).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.Refused, EventReason.Paused);

    var pipelinePaused = ProjectionDecider.decide(projection(), new ProjectionObservation()
        .refused("ImageNotAllowed", "image x not allowed").deployment(2, 1).pipelinePause(EmergencyStop.Reason.SpecPaused), NOW);
    assertThat(pipelinePaused.effect()).isEqualTo(new MaterializerChange.ScaleOnly(0));
    assertThat(condition(pipelinePaused, "Paused").getReason()).isEqualTo("PipelinePaused");
  }

  @Test
  void aRefusedSpecThatMustStopCreatesNoDeployment() {
    Projection projection = projection();
    projection.getSpec().setPaused(true);
    var decision = ProjectionDecider.decide(projection,
        new ProjectionObservation().refused("ImageNotAllowed", "image x not allowed"), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getReplicas()).isNull();
    assertThat(condition(decision, "Paused").getReason()).isEqualTo("SpecPaused");
    assertThat(decision.events()).extracting(PlannedEvent::message).contains("No materializer runs: spec.paused is "
        + "true; the spec stays refused (ImageNotAllowed), so nothing else is changed");
  }

  @Test
  void aRefusedSpecStaysAtZeroWhenTheHoldEndsAndScalesUpOnceItIsFixed() {
    Projection projection = projection();
    projection.setStatus(ProjectionDecider.decide(projection, new ProjectionObservation().probe(healthy(3))
        .refused("ImageNotAllowed", "image x not allowed").deployment(3, 3).heldByReset("rewind-1"), NOW).status());

    var released = ProjectionDecider.decide(projection, new ProjectionObservation().probe(healthy(3))
        .refused("ImageNotAllowed", "image x not allowed").deployment(0, 0), NOW.plusSeconds(30));
    assertThat(released.effects()).isEmpty();
    assertThat(released.status().getActiveReset()).isNull();
    assertThat(condition(released, "Paused").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(condition(released, "Stalled").getReason()).isEqualTo("ImageNotAllowed");
    assertThat(released.events()).isEmpty();

    projection.setStatus(released.status());
    var fixed = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(3)).deployment(0, 0), NOW.plusSeconds(40));
    assertThat(applied(fixed)).isEqualTo(3);
    assertThat(fixed.status().condition("Stalled")).isEmpty();
    assertThat(fixed.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ScaledUp);
  }

  @Test
  void aMissingSecretFoundByTheProbeIsStalledAndCreatesNoPods() {
    ProjectionProbe probe = new ProjectionProbe(3, null, null, 0, ResolutionFailure.Reason.SecretNotFound,
        "Secret orders/pg not found", NOW);
    var decision = ProjectionDecider.decide(projection(), new ProjectionObservation().probe(probe), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("SecretNotFound");
  }

  @Test
  void aRefusedDatabaseLoginFoundByTheProbeIsStalledAndLeavesThePodsAsTheyAre() {
    // The same rule as the pipeline's DatabaseReachable: a password only the user can fix, not a retry.
    ProjectionProbe probe = ProjectionProbe.failed(DatabaseFailure.Reason.DatabaseAuthenticationFailed,
        "login to db:5432/app refused", NOW);
    var decision = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(probe).deployment(2, 0), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("DatabaseAuthenticationFailed");
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.False);
  }

  @Test
  void aTableNameTheCrdShouldHaveRefusedIsStalledAndCreatesNoPods() {
    ProjectionProbe probe = ProjectionProbe.failed(ProbeFailureReason.InvalidTableName,
        "spec.table 'x; DROP TABLE y' is not valid", NOW);
    var decision = ProjectionDecider.decide(projection(), new ProjectionObservation().probe(probe), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("InvalidTableName");
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.False);
  }

  @Test
  void aTableOwnedByAnotherProjectionIsStalledAndNeverScaledUp() {
    ProjectionProbe probe = healthy(3).withTableOwner(new TableOwner("billing", "view", "uid-1",
        Instant.parse("2026-02-01T00:00:00Z")));
    var fresh = ProjectionDecider.decide(projection(), new ProjectionObservation().probe(probe), NOW);

    assertThat(fresh.effects()).isEmpty();
    assertThat(condition(fresh, "Ready").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(condition(fresh, "Stalled").getReason()).isEqualTo("TableOwnedByOtherProjection");
    assertThat(condition(fresh, "Stalled").getMessage()).contains("spec.table 'workflow_projection' belongs to "
        + "Projection billing/view (uid uid-1), claimed 2026-02-01T00:00:00Z")
        .contains("DELETE FROM projection_tables WHERE table_name = 'workflow_projection'");
    assertThat(fresh.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Refused);

    // A Deployment that exists already keeps its count: the pods refuse the table, nothing is scaled up.
    var existing = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(probe).deployment(1, 0), NOW);
    assertThat(existing.effects()).isEmpty();
    assertThat(condition(existing, "Stalled").getReason()).isEqualTo("TableOwnedByOtherProjection");
  }

  @Test
  void itsOwnTableIsNoRefusalWhateverUidItWasClaimedWith() {
    // Deleted and applied again by GitOps: a new uid, the same namespace and name, the same table.
    ProjectionProbe probe = healthy(3).withTableOwner(new TableOwner("orders", "view", "old-uid", NOW));
    var decision = ProjectionDecider.decide(projection(), new ProjectionObservation().probe(probe), NOW);

    assertThat(applied(decision)).isEqualTo(3);
    assertThat(decision.status().condition("Stalled")).isEmpty();
  }

  @Test
  void anUnreachableBrokerIsDegradedWithUnknownFiguresNeverZero() {
    ProjectionProbe probe = ProjectionProbe.failed(KafkaFailure.Reason.KafkaUnreachable, "no answer from k:9092", NOW);
    var decision = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(probe).deployment(3, 3), NOW);

    assertThat(applied(decision)).isEqualTo(3);
    assertThat(decision.status().getConsumerLag()).isNull();
    assertThat(decision.status().getPartitions()).isNull();
    assertThat(decision.status().getHealth()).isEqualTo(HealthLevel.Unknown);
    assertThat(condition(decision, "Degraded").getReason()).isEqualTo("KafkaUnreachable");
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(decision.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ConnectionFailed);
  }

  @Test
  void anUnreachableDatabaseLeavesReadyUnknownThoughThePodsRun() {
    ProjectionProbe probe = new ProjectionProbe(3, null, null, 0, DatabaseFailure.Reason.DatabaseUnreachable, "cannot connect to db:5432",
        NOW);
    var decision = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(probe).deployment(3, 3), NOW);

    assertThat(applied(decision)).isEqualTo(3);
    assertThat(decision.status().getPartitions()).isEqualTo(3);
    assertThat(decision.status().getConsumerLag()).isNull();
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(condition(decision, "Ready").getReason()).isEqualTo("DatabaseUnreachable");
    assertThat(condition(decision, "Degraded").getReason()).isEqualTo("DatabaseUnreachable");
    assertThat(decision.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ConnectionFailed);
  }

  @Test
  void lagOverTheCriticalThresholdIsDegraded() {
    ProjectionProbe probe = new ProjectionProbe(1, measurement(1, 250_000L), null, 0, null, null, NOW);
    var decision = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(probe).deployment(1, 1), NOW);

    assertThat(decision.status().getHealth()).isEqualTo(HealthLevel.Critical);
    assertThat(condition(decision, "Degraded").getReason()).isEqualTo("HealthCritical");
    assertThat(condition(decision, "Degraded").getMessage()).contains("consumer lag 250000 records");
  }

  @Test
  void anImageThatCannotBePulledSaysSoInReadyAndDegradedWithOneEventPerCause() {
    Projection projection = projection();
    MaterializerFailure pull = new MaterializerFailure(MaterializerFailure.Reason.MaterializerImagePullFailed,
        "view-materializer-a", "ErrImagePull: not found (image registry.test/nope:1)",
        "cannot pull image registry.test/nope:1", 2);
    var decision = assertExplained(projection, pull, 2, 0, "0 of 2 materializers ready, 2 failing; pod "
        + "view-materializer-a: ErrImagePull: not found (image registry.test/nope:1)");
    assertThat(applied(decision)).isEqualTo(2);

    // Seen again: nothing new. The same cause from another pod: the same Event again, which the recorder counts.
    projection.setStatus(decision.status());
    assertThat(ProjectionDecider.decide(projection, new ProjectionObservation().probe(healthy(2)).deployment(2, 0)
        .materializerFailure(pull), NOW.plusSeconds(15)).events()).isEmpty();
    MaterializerFailure otherPod = new MaterializerFailure(pull.reason(), "view-materializer-b",
        "ImagePullBackOff: Back-off pulling image \"registry.test/nope:1\"", pull.cause(), 2);
    assertThat(ProjectionDecider.decide(projection, new ProjectionObservation().probe(healthy(2)).deployment(2, 0)
        .materializerFailure(otherPod), NOW.plusSeconds(30)).events()).containsExactlyElementsOf(decision.events());
  }

  @Test
  void eachOtherCauseIsExplainedWithItsOwnReasonAndMessage() {
    assertExplained(projection(), failure(MaterializerFailure.Reason.MaterializerConfigError, "view-materializer-a",
        "CreateContainerConfigError: secret \"pg\" not found", 1), 1, 0, "0 of 1 materializers ready, 1 failing; "
        + "pod view-materializer-a: CreateContainerConfigError: secret \"pg\" not found");
    // Two of three ready, one crash looping: the counts say so, the pod is named.
    assertExplained(projection(), failure(MaterializerFailure.Reason.MaterializerCrashLooping, "view-materializer-c",
        "CrashLoopBackOff, last exit code 2: materialize: configuration error: bad", 1), 3, 2, "2 of 3 materializers "
        + "ready, 1 failing; pod view-materializer-c: CrashLoopBackOff, last exit code 2: materialize: configuration "
        + "error: bad");
    // Pods the Deployment cannot create: no pod to name.
    assertExplained(projection(), failure(MaterializerFailure.Reason.MaterializerPodsNotCreated, null,
        "FailedCreate: exceeded quota: compute", 0), 3, 0, "0 of 3 materializers ready; FailedCreate: exceeded quota: "
        + "compute");
    assertExplained(projection(), failure(MaterializerFailure.Reason.MaterializerProgressDeadlineExceeded, null,
        "ProgressDeadlineExceeded: ReplicaSet \"view-materializer-5d9\" has timed out progressing.", 0), 1, 0,
        "0 of 1 materializers ready; ProgressDeadlineExceeded: ReplicaSet \"view-materializer-5d9\" has timed out "
        + "progressing.");
  }

  @Test
  void recoveredPodsClearTheFailureWithANormalEvent() {
    Projection projection = projection();
    MaterializerFailure crash = failure(MaterializerFailure.Reason.MaterializerCrashLooping, "view-materializer-a",
        "CrashLoopBackOff, last exit code 1", 1);
    projection.setStatus(ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(1)).deployment(1, 0).materializerFailure(crash), NOW).status());

    // A new image: its pod starts, nothing fails any more, and it is not ready yet.
    var starting = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(1)).deployment(1, 0), NOW.plusSeconds(10));
    assertThat(condition(starting, "Ready").getReason()).isEqualTo("MaterializersNotReady");
    assertThat(condition(starting, "Reconciling").getReason()).isEqualTo("MaterializersNotReady");
    assertThat(condition(starting, "Degraded").getReason()).isEqualTo("Healthy");
    assertThat(starting.events()).containsExactly(PlannedEvent.normal(EventReason.MaterializersRecovered,
        "Materializer pods no longer fail (was MaterializerCrashLooping): 0 of 1 ready"));

    projection.setStatus(starting.status());
    var ready = ProjectionDecider.decide(projection,
        new ProjectionObservation().probe(healthy(1)).deployment(1, 1), NOW.plusSeconds(20));
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(ready.events()).isEmpty();
  }

  @Test
  void aFailingPodIsNotShownWhileEnoughAreReadyOrWhileThePodsAreStopped() {
    MaterializerFailure crash = failure(MaterializerFailure.Reason.MaterializerCrashLooping, "view-materializer-old",
        "CrashLoopBackOff, last exit code 1", 1);
    var enough = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(healthy(2)).deployment(2, 2).materializerFailure(crash), NOW);
    assertThat(condition(enough, "Ready").getReason()).isEqualTo("MaterializersReady");
    assertThat(enough.events()).isEmpty();

    Projection paused = projection();
    paused.getSpec().setPaused(true);
    var stopping = ProjectionDecider.decide(paused,
        new ProjectionObservation().probe(healthy(2)).deployment(2, 0).materializerFailure(crash), NOW);
    assertThat(condition(stopping, "Ready").getReason()).isEqualTo("Paused");
    assertThat(stopping.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Paused);
  }

  @Test
  void crashingPodsAreShownInReadyWhileTheUnreachableDatabaseStaysInDegraded() {
    MaterializerFailure crash = failure(MaterializerFailure.Reason.MaterializerCrashLooping, "view-materializer-a",
        "CrashLoopBackOff, last exit code 2: cannot connect to PostgreSQL", 1);
    ProjectionProbe probe = new ProjectionProbe(1, null, null, 0, DatabaseFailure.Reason.DatabaseUnreachable, "cannot connect to db:5432",
        NOW);
    var decision = ProjectionDecider.decide(projection(),
        new ProjectionObservation().probe(probe).deployment(1, 0).materializerFailure(crash), NOW);

    assertThat(condition(decision, "Ready").getReason()).isEqualTo("MaterializerCrashLooping");
    assertThat(condition(decision, "Degraded").getReason()).isEqualTo("DatabaseUnreachable");
    assertThat(decision.events()).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.ConnectionFailed, EventReason.MaterializersFailing);
  }

  /**
   * Decides with the failure and checks what every cause gets: Ready False and Degraded True with its reason and the
   * message, no Reconciling, one Warning Event with the cause.
   */
  private static Decision<ProjectionStatus, MaterializerChange> assertExplained(Projection projection,
      MaterializerFailure failure, int replicas, int ready, String message) {
    var decision = ProjectionDecider.decide(projection, new ProjectionObservation().probe(healthy(replicas))
        .deployment(replicas, ready).materializerFailure(failure), NOW);
    for (String type : List.of("Ready", "Degraded")) {
      assertThat(condition(decision, type).getStatus()).isEqualTo("Ready".equals(type) ? ConditionStatus.False
          : ConditionStatus.True);
      assertThat(condition(decision, type).getReason()).isEqualTo(failure.reason().name());
      assertThat(condition(decision, type).getMessage()).isEqualTo(message);
    }
    assertThat(decision.status().condition("Reconciling")).isEmpty();
    assertThat(decision.events()).containsExactly(PlannedEvent.warning(EventReason.MaterializersFailing,
        failure.cause()));
    return decision;
  }

  /** A failure whose detail is its cause, as for everything but an image pull. */
  private static MaterializerFailure failure(MaterializerFailure.Reason reason, String pod, String text, int failing) {
    return new MaterializerFailure(reason, pod, text, text, failing);
  }

  private static ProjectionProbe healthy(int partitions) {
    return new ProjectionProbe(partitions, measurement(partitions, 0L), 0L, 0, null, null, NOW);
  }

  private static ProjectionMeasurement measurement(int partitions, long lag) {
    PartitionLag first = new PartitionLag();
    first.setPartition(0);
    first.setLag(lag);
    first.setLogEndOffset(100 + lag);
    first.setWatermark(100L);
    first.setWatermarkLagMs(lag == 0 ? 0L : 50L);
    return new ProjectionMeasurement(List.of(first), lag, lag == 0 ? 0L : 50L, List.of(), 0, 1L);
  }

  private static Projection projection() {
    Projection projection = new Projection();
    projection.setMetadata(new ObjectMetaBuilder().withName("view").withNamespace("orders").withGeneration(2L)
        .build());
    ProjectionSpec spec = new ProjectionSpec();
    spec.setPipelineRef(new LocalReference("workflows"));
    projection.setSpec(spec);
    projection.setStatus(new ProjectionStatus());
    return projection;
  }

  /** The replicas the decision applies the Deployment with; fails unless it applies the Deployment. */
  private static int applied(Decision<ProjectionStatus, MaterializerChange> decision) {
    assertThat(decision.effect()).isInstanceOf(MaterializerChange.Apply.class);
    return ((MaterializerChange.Apply) decision.effect()).replicas();
  }

  private static Condition condition(Decision<ProjectionStatus, MaterializerChange> decision, String type) {
    return decision.status().condition(type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }
}
