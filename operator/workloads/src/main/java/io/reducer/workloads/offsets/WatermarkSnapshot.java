package io.reducer.workloads.offsets;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A projection's watermark rows as one transaction read them.
 *
 * @param nextOffsets next offset to apply, per partition that has a row
 * @param epochs epoch per partition that has a row
 */
record WatermarkSnapshot(Map<Integer, Long> nextOffsets, Map<Integer, Long> epochs) {

  static final WatermarkSnapshot NONE = new WatermarkSnapshot(Map.of(), Map.of());

  WatermarkSnapshot {
    nextOffsets = new TreeMap<>(nextOffsets);
    epochs = new TreeMap<>(epochs);
  }

  /** The projection's epoch: the highest of its rows (they normally agree), 0 before the first row. */
  long epoch() {
    return epochs.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Every row is at {@code epoch} and every planned partition is at its new offset: this plan was applied. */
  boolean shows(long epoch, List<PlannedPartition> plan) {
    return !epochs.isEmpty() && epochs.values().stream().allMatch(e -> e == epoch)
        && plan.stream().allMatch(p -> Long.valueOf(p.newOffset()).equals(nextOffsets.get(p.partition())));
  }
}
