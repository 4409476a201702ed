package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.reset.PartitionOffset;
import io.reducer.api.v1alpha1.reset.PartitionPlan;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.workloads.materializer.Watermark;
import io.reducer.workloads.offsets.PlannedPartition;
import io.reducer.workloads.offsets.ResetTarget;
import io.reducer.workloads.offsets.ResetTargetType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Translations between the custom resource's reset model and the workloads' planner, which is the same code the
 * reset Job runs: a plan in status means exactly what {@code offsets reset} would do.
 */
public final class ResetPlans {

  private ResetPlans() {
  }

  /**
   * The planner's target type for the custom resource's: the one place the two meet (the API module, which the
   * workloads do not depend on, keeps its own enum for the CRD schema; the constants have the same names).
   */
  public static ResetTargetType targetType(io.reducer.api.v1alpha1.reset.ResetTargetType spec) {
    return ResetTargetType.valueOf(spec.name());
  }

  /** The planner's target for a spec target; a malformed time or duration is the user's to fix. */
  public static ResetTarget target(io.reducer.api.v1alpha1.reset.ResetTarget spec) {
    ResetTargetType type = targetType(spec.getType());
    try {
      return new ResetTarget(type, offsets(spec.getOffsets()),
          spec.getTimestamp() == null ? null : Instant.parse(spec.getTimestamp()),
          spec.getShiftBy(), spec.getDuration() == null ? null : Duration.parse(spec.getDuration()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("spec.target: cannot read '" + e.getParsedString()
          + "' (timestamps are RFC 3339 like 2026-01-01T00:00:00Z, durations ISO-8601 like PT1H)", e);
    }
  }

  private static Map<Integer, Long> offsets(List<PartitionOffset> offsets) {
    if (offsets == null) {
      return null;
    }
    Map<Integer, Long> byPartition = new TreeMap<>();
    offsets.forEach(o -> byPartition.put(o.getPartition(), o.getOffset()));
    return byPartition;
  }

  /** A projection's plan as status shows it. */
  public static ResetPlan toStatus(String topic, String group, long currentEpoch, boolean rebuild,
      List<PlannedPartition> planned) {
    ResetPlan plan = toStatus(topic, group, planned);
    plan.setCurrentEpoch(currentEpoch);
    plan.setNewEpoch(currentEpoch + 1);
    plan.setTruncate(rebuild);
    return plan;
  }

  /** A plan of group offsets only (the reducers'), as status shows it: no epoch, nothing truncated. */
  public static ResetPlan toStatus(String topic, String group, List<PlannedPartition> planned) {
    ResetPlan plan = new ResetPlan();
    plan.setTopic(topic);
    plan.setConsumerGroup(group);
    plan.setPartitions(planned.stream().map(p -> {
      PartitionPlan partition = new PartitionPlan();
      partition.setPartition(p.partition());
      partition.setCurrentOffset(p.currentOffset());
      partition.setNewOffset(p.newOffset());
      partition.setLogStartOffset(p.logStartOffset());
      partition.setLogEndOffset(p.logEndOffset());
      return partition;
    }).collect(Collectors.toList()));
    return plan;
  }

  /** The plan in status, back in the planner's terms (for the Job's explicit arguments). */
  public static List<PlannedPartition> fromStatus(ResetPlan plan) {
    return plan.getPartitions().stream().map(p -> new PlannedPartition(p.getPartition(), p.getCurrentOffset(),
        p.getNewOffset(), p.getLogStartOffset(), p.getLogEndOffset())).collect(Collectors.toList());
  }

  /** The planned group offsets by partition. */
  public static Map<Integer, Long> newOffsets(ResetPlan plan) {
    Map<Integer, Long> offsets = new TreeMap<>();
    plan.getPartitions().forEach(p -> offsets.put(p.getPartition(), p.getNewOffset()));
    return offsets;
  }

  /**
   * The planned partitions whose watermark row (next offset, epoch) or committed group offset is not the plan's, each
   * in words ("partition 7: watermark 12 at epoch 3, group offset none; planned 0 at epoch 4"); empty when the reset
   * shows on every one. This is how the operator reads a reset Job's whole result, whose termination message only
   * summarizes a plan of more than about 25 partitions.
   */
  public static List<String> notApplied(ResetPlan plan, Map<Integer, Watermark> watermarks,
      Map<Integer, Long> committed) {
    List<String> wrong = new ArrayList<>();
    for (PartitionPlan partition : plan.getPartitions()) {
      Watermark row = watermarks.get(partition.getPartition());
      Long offset = committed == null ? null : committed.get(partition.getPartition());
      boolean rowApplied = row != null && row.nextOffset() == partition.getNewOffset()
          && (plan.getNewEpoch() == null || row.epoch() == plan.getNewEpoch());
      if (!rowApplied || offset == null || offset != partition.getNewOffset()) {
        wrong.add("partition " + partition.getPartition() + ": watermark "
            + (row == null ? "none" : row.nextOffset() + " at epoch " + row.epoch()) + ", group offset "
            + (offset == null ? "none" : offset) + "; planned " + partition.getNewOffset()
            + (plan.getNewEpoch() == null ? "" : " at epoch " + plan.getNewEpoch()));
      }
    }
    return wrong;
  }

  /** Whether the group's committed offsets are those of the plan on every planned partition. */
  public static boolean applied(ResetPlan plan, Map<Integer, Long> committed) {
    return newOffsets(plan).entrySet().stream().allMatch(e -> e.getValue().equals(committed.get(e.getKey())));
  }

  /**
   * One line for Events and messages, e.g. "12 partition(s) of state-committed, epoch 3 -> 4, projection table
   * truncated and rebuilt", or for the reducers "4 partition(s) of actions, group offsets only (no watermark, no
   * epoch)".
   */
  public static String summary(ResetPlan plan) {
    if (plan.getNewEpoch() == null) {
      return plan.getPartitions().size() + " partition(s) of " + plan.getTopic() + ", group offsets only (no "
          + "watermark, no epoch)";
    }
    return plan.getPartitions().size() + " partition(s) of " + plan.getTopic() + ", epoch " + plan.getCurrentEpoch()
        + " -> " + plan.getNewEpoch() + (plan.isTruncate() ? ", projection table truncated and rebuilt" : "");
  }
}
