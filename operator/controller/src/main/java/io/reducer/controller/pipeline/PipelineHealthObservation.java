package io.reducer.controller.pipeline;

import io.reducer.controller.postgres.CanonicalStoreHealth;
import java.time.Instant;

/**
 * What one health probe of a pipeline measured. Each source is either measured or carries the failure that stopped
 * it; a figure that was not measured is null, never 0.
 *
 * @param store the canonical store's figures; null when the database could not be read
 * @param database why the store could not be read; null when it was
 * @param dlqDepth records in the DLQ topic (sum over partitions of log end minus log start); null when not measured
 * @param kafka why the DLQ depth could not be measured; null when it was
 * @param probedAt when the probe ran
 */
public record PipelineHealthObservation(CanonicalStoreHealth.Figures store, Failure database, Long dlqDepth,
    Failure kafka, Instant probedAt) {

  /** Why one source could not be measured: a condition reason (CamelCase) and a message that says what to check. */
  public record Failure(String reason, String message) {
  }

  /** Processes of the pipeline whose stats row is fresh; null when the store could not be read. */
  public Integer reducersReporting() {
    return store == null ? null : store.reducersReporting();
  }

  public Double conflictRatePercent() {
    return store == null ? null : store.conflictRatePercent();
  }

  public Double successRatePercent() {
    return store == null ? null : store.successRatePercent();
  }

  public Double commitP95Ms() {
    return store == null ? null : store.commitP95Ms();
  }

  public Long outboxBacklog() {
    return store == null ? null : store.outboxBacklog();
  }

  public Long outboxLagMs() {
    return store == null ? null : store.outboxLagMs();
  }

  public Long outboxGaps() {
    return store == null ? null : store.outboxGaps();
  }
}
