package io.reducer.workloads.offsets;

/**
 * One partition of a reset plan. The fields have the names of the custom resource's {@code PartitionPlan}, so the
 * operator copies them into status one to one.
 *
 * @param currentOffset the position before the reset (see {@link PartitionPosition#currentOffset()}), null if none
 * @param newOffset the watermark and group offset after the reset
 */
public record PlannedPartition(int partition, Long currentOffset, long newOffset, long logStartOffset,
    long logEndOffset) {
}
