package io.reducer.workloads.offsets;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.reducer.workloads.materializer.Watermark;

/**
 * A projection's watermark rows as one transaction read them, by partition (only partitions that have a row).
 */
record WatermarkSnapshot(Map<Integer, Watermark> rows) {

  static final WatermarkSnapshot NONE = new WatermarkSnapshot(Map.of());

  WatermarkSnapshot {
    rows = new TreeMap<>(rows);
  }

  /** The next offset to apply on {@code partition}, or null when it has no row. */
  Long nextOffset(int partition) {
    Watermark row = rows.get(partition);
    return row == null ? null : row.nextOffset();
  }

  /** The projection's epoch: the highest of its rows (they normally agree), 0 before the first row. */
  long epoch() {
    return rows.values().stream().mapToLong(Watermark::epoch).max().orElse(0);
  }

  /** Every row is at {@code epoch} and every planned partition is at its new offset: this plan was applied. */
  boolean shows(long epoch, List<PlannedPartition> plan) {
    return !rows.isEmpty() && rows.values().stream().allMatch(row -> row.epoch() == epoch)
        && plan.stream().allMatch(p -> Long.valueOf(p.newOffset()).equals(nextOffset(p.partition())));
  }
}
