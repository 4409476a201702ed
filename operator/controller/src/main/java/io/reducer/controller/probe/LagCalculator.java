package io.reducer.controller.probe;

import io.reducer.api.v1alpha1.projection.PartitionLag;
import io.reducer.controller.kafka.TopicOffsets;
import io.reducer.workloads.materializer.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns broker offsets and database watermarks into per-partition lag. The watermark in PostgreSQL is the
 * projection's true position (the materializer seeks from it), so lag is measured against it, not against the
 * consumer group's committed offsets.
 */
public final class LagCalculator {

  private LagCalculator() {
  }

  /**
   * @param offsets log-start and log-end offsets of the source topic
   * @param watermarks the projection's watermarks by partition
   * @param previous per-partition positions from the last status, for regression detection
   * @param previousEpoch epoch in the last status; regressions only count within one epoch (a reset moves back)
   */
  public static ProjectionMeasurement measure(TopicOffsets offsets, Map<Integer, Watermark> watermarks,
      List<PartitionLag> previous, Long previousEpoch, Duration stalledAfter, Instant now) {
    List<PartitionLag> partitions = new ArrayList<>();
    List<Integer> stalled = new ArrayList<>();
    long totalLag = 0;
    Long maxWatermarkLag = 0L;
    Long epoch = null;
    for (int p = 0; p < offsets.partitions(); p++) {
      Watermark watermark = watermarks.get(p);
      // Without a watermark the materializer starts at the log start; below it, retention already removed records.
      long position = watermark == null ? offsets.logStart(p) : Math.max(watermark.nextOffset(), offsets.logStart(p));
      long lag = Math.max(0, offsets.logEnd(p) - position);
      Long watermarkLag = lag == 0 ? Long.valueOf(0)
          : watermark == null || watermark.lastEventTime() == null ? null
          : Long.valueOf(Math.max(0, Duration.between(watermark.lastEventTime(), now).toMillis()));
      boolean isStalled = lag > 0 && watermark != null && watermark.updatedAt() != null
          && Duration.between(watermark.updatedAt(), now).compareTo(stalledAfter) > 0;

      PartitionLag entry = new PartitionLag();
      entry.setPartition(p);
      entry.setLogEndOffset(offsets.logEnd(p));
      entry.setWatermark(watermark == null ? null : watermark.nextOffset());
      entry.setLag(lag);
      entry.setWatermarkLagMs(watermarkLag);
      entry.setStalled(isStalled);
      partitions.add(entry);

      totalLag += lag;
      maxWatermarkLag = maxWatermarkLag == null || watermarkLag == null ? null : Math.max(maxWatermarkLag, watermarkLag);
      if (isStalled) {
        stalled.add(p);
      }
      if (watermark != null) {
        epoch = epoch == null ? watermark.epoch() : Math.max(epoch, watermark.epoch());
      }
    }
    long regressions = 0;
    if (epoch != null && epoch.equals(previousEpoch) && previous != null) {
      for (PartitionLag before : previous) {
        Watermark current = watermarks.get(before.getPartition());
        if (before.getWatermark() != null && current != null && current.nextOffset() < before.getWatermark()) {
          regressions++;
        }
      }
    }
    return new ProjectionMeasurement(partitions, totalLag, maxWatermarkLag, stalled, regressions, epoch);
  }
}
