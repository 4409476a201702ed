package io.reducer.controller.probe;

import io.reducer.api.v1alpha1.projection.PartitionLag;
import java.util.List;
import java.util.Objects;

/** What one probe measured of a projection; null fields could not be measured. */
public final class ProjectionMeasurement {

  private final List<PartitionLag> partitions;
  private final Long consumerLag;
  private final Long watermarkLagMs;
  private final List<Integer> stalledPartitions;
  private final long regressions;
  private final Long epoch;

  public ProjectionMeasurement(List<PartitionLag> partitions, Long consumerLag, Long watermarkLagMs,
      List<Integer> stalledPartitions, long regressions, Long epoch) {
    this.partitions = List.copyOf(partitions);
    this.consumerLag = consumerLag;
    this.watermarkLagMs = watermarkLagMs;
    this.stalledPartitions = List.copyOf(stalledPartitions);
    this.regressions = regressions;
    this.epoch = epoch;
  }

  public List<PartitionLag> partitions() {
    return partitions;
  }

  /** Records not yet applied, summed over partitions. */
  public Long consumerLag() {
    return consumerLag;
  }

  /** Largest watermark lag over the partitions; null if a lagging partition has never applied an event. */
  public Long watermarkLagMs() {
    return watermarkLagMs;
  }

  public List<Integer> stalledPartitions() {
    return stalledPartitions;
  }

  /** Partitions whose watermark went backwards since the previous probe under the same epoch. */
  public long regressions() {
    return regressions;
  }

  /** The projection's epoch (the highest found); null before any watermark was written. */
  public Long epoch() {
    return epoch;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ProjectionMeasurement)) {
      return false;
    }
    ProjectionMeasurement that = (ProjectionMeasurement) o;
    return regressions == that.regressions && partitions.equals(that.partitions)
        && Objects.equals(consumerLag, that.consumerLag) && Objects.equals(watermarkLagMs, that.watermarkLagMs)
        && stalledPartitions.equals(that.stalledPartitions) && Objects.equals(epoch, that.epoch);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitions, consumerLag, watermarkLagMs, stalledPartitions, regressions, epoch);
  }
}
