package io.reducer.controller.probe;

import io.javaoperatorsdk.operator.processing.ResourceIDProvider;
import io.reducer.controller.status.FailureReason;
import io.reducer.workloads.materializer.TableOwner;
import java.time.Instant;
import java.util.Objects;

/**
 * What the latest probe found for one projection. Fields that could not be measured are null and
 * {@link #failureReason()} says why. Equality ignores the probe time, so a probe that finds the same figures is
 * not a change and triggers no reconciliation.
 */
public final class ProjectionProbe implements ResourceIDProvider<String> {

  private final Integer partitions;
  private final ProjectionMeasurement measurement;
  private final Long staleRows;
  private final long regressionsTotal;
  private final FailureReason failureReason;
  private final String failureMessage;
  private final Instant probedAt;
  private final TableOwner tableOwner;

  public ProjectionProbe(Integer partitions, ProjectionMeasurement measurement, Long staleRows, long regressionsTotal,
      FailureReason failureReason, String failureMessage, Instant probedAt) {
    this(partitions, measurement, staleRows, regressionsTotal, failureReason, failureMessage, probedAt, null);
  }

  private ProjectionProbe(Integer partitions, ProjectionMeasurement measurement, Long staleRows, long regressionsTotal,
      FailureReason failureReason, String failureMessage, Instant probedAt, TableOwner tableOwner) {
    this.tableOwner = tableOwner;
    this.partitions = partitions;
    this.measurement = measurement;
    this.staleRows = staleRows;
    this.regressionsTotal = regressionsTotal;
    this.failureReason = failureReason;
    this.failureMessage = failureMessage;
    this.probedAt = probedAt;
  }

  public static ProjectionProbe failed(FailureReason reason, String message, Instant at) {
    return new ProjectionProbe(null, null, null, 0, reason, message, at);
  }

  /** This probe with the recorded owner of the projection's table (null: unclaimed, or not read). */
  public ProjectionProbe withTableOwner(TableOwner owner) {
    return new ProjectionProbe(partitions, measurement, staleRows, regressionsTotal, failureReason, failureMessage,
        probedAt, owner);
  }

  /** Who projection_tables says the projection's table belongs to; null when unclaimed or not read. */
  public TableOwner tableOwner() {
    return tableOwner;
  }

  /** Partition count of the source topic; null when Kafka could not be asked. */
  public Integer partitions() {
    return partitions;
  }

  /** Lag, watermark lag, stalled partitions and epoch; null when offsets or watermarks could not be read. */
  public ProjectionMeasurement measurement() {
    return measurement;
  }

  /** Rows behind canonical; null when not measured (no canonical table, or the query failed). */
  public Long staleRows() {
    return staleRows;
  }

  /** Watermark regressions seen since the operator started. */
  public long regressionsTotal() {
    return regressionsTotal;
  }

  /** Why the first failure happened (KafkaUnreachable, SecretNotFound, ...); null when all went well. */
  public FailureReason failureReason() {
    return failureReason;
  }

  public String failureMessage() {
    return failureMessage;
  }

  public boolean failed() {
    return failureReason != null;
  }

  public Instant probedAt() {
    return probedAt;
  }

  @Override
  public String resourceId() {
    return "probe";
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProjectionProbe)) {
      return false;
    }
    ProjectionProbe that = (ProjectionProbe) o;
    return regressionsTotal == that.regressionsTotal && Objects.equals(partitions, that.partitions)
        && Objects.equals(measurement, that.measurement) && Objects.equals(staleRows, that.staleRows)
        && Objects.equals(failureReason, that.failureReason) && Objects.equals(failureMessage, that.failureMessage)
        && Objects.equals(tableOwner, that.tableOwner);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitions, measurement, staleRows, regressionsTotal, failureReason, failureMessage,
        tableOwner);
  }

  @Override
  public String toString() {
    return failed() ? failureReason + ": " + failureMessage
        : "partitions=" + partitions + " lag=" + (measurement == null ? null : measurement.consumerLag());
  }
}
