package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.deploy.KStatus.Status;
import io.reducer.deploy.StatusFixtures.Fixture;
import java.util.Map;

/**
 * What each captured status means, as Argo CD health (manifests/argocd/health.lua) and as kstatus (Flux). One row
 * per file in deploy/src/test/resources/status-fixtures; docs/gitops.md explains the mapping.
 */
record Meaning(String argoCd, Status kstatus) {

  private static final Map<String, Meaning> ROWS = Map.ofEntries(
      row("ReducerPipeline/reducers-running", "Healthy", Status.Current),
      // The pipeline's Ready is about Kafka, PostgreSQL, topics and schema; reducers starting set Reconciling, so
      // Flux waits for them too (docs/gitops.md).
      row("ReducerPipeline/progressing-reducers-starting", "Progressing", Status.InProgress),
      row("ReducerPipeline/resuming", "Progressing", Status.InProgress),
      row("ReducerPipeline/stalled-invalid-state-machine", "Degraded", Status.Failed),
      row("ReducerPipeline/paused-annotation", "Suspended", Status.Current),
      row("ReducerPipeline/reducers-held-by-reset", "Suspended", Status.Current),
      row("Projection/ready", "Healthy", Status.Current),
      row("Projection/progressing-materializers-not-ready", "Progressing", Status.InProgress),
      row("Projection/stalled-image-not-allowed", "Degraded", Status.Failed),
      // Pods that keep failing are Degraded in Argo CD; kstatus has no degraded, so a Flux wait runs into its timeout.
      row("Projection/degraded-materializers-crash-looping", "Degraded", Status.InProgress),
      // Stalled wins over paused: the spec is refused whether or not the projection runs.
      row("Projection/stalled-and-paused", "Degraded", Status.Failed),
      row("Projection/stalled-and-paused-by-pipeline", "Degraded", Status.Failed),
      row("Projection/paused-spec", "Suspended", Status.Current),
      row("Projection/held-by-reset", "Suspended", Status.Current),
      row("DlqReplay/succeeded", "Healthy", Status.Current),
      row("DlqReplay/replaying", "Progressing", Status.InProgress),
      // Waiting for a person: Suspended in Argo CD; to kstatus still in progress, so a Flux wait hangs until approved.
      row("DlqReplay/awaiting-approval", "Suspended", Status.InProgress),
      row("DlqReplay/failed-job", "Degraded", Status.Failed),
      row("WatermarkReset/completed", "Healthy", Status.Current),
      row("WatermarkReset/pending-waiting-for-other-reset", "Progressing", Status.InProgress),
      row("WatermarkReset/awaiting-approval", "Suspended", Status.InProgress),
      row("WatermarkReset/awaiting-approval-reducers", "Suspended", Status.InProgress),
      row("WatermarkReset/failed-approval-timed-out", "Degraded", Status.Failed));

  private static Map.Entry<String, Meaning> row(String fixture, String argoCd, Status kstatus) {
    return Map.entry(fixture, new Meaning(argoCd, kstatus));
  }

  static Meaning of(Fixture fixture) {
    assertThat(ROWS).as("what fixture %s means (Meaning.ROWS)", fixture).containsKey(fixture.name());
    return ROWS.get(fixture.name());
  }

  static Map<String, Meaning> rows() {
    return ROWS;
  }
}
