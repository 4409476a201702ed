package io.reducer.workloads.offsets;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Computes the new position of each partition with the rules of {@code kafka-consumer-groups --reset-offsets}, so
 * a reset does what users of that tool expect:
 *
 * <ul>
 *   <li>earliest / latest: the log start / log end;
 *   <li>offset: the given offset, clamped to [log start, log end];
 *   <li>timestamp / by-duration: the first offset at or after the time (by-duration: now minus the duration);
 *       the log end when no record is that recent;
 *   <li>shift-by: current position plus the shift, clamped to [log start, log end]. Like the tool, a partition
 *       without a current position cannot be shifted: the whole plan is refused, naming the partitions, rather
 *       than guessing a base.
 * </ul>
 *
 * <p>Pure: the caller looks up the offsets (and, for timestamp targets, the offsets for {@link #lookupTime}) and
 * passes them in; nothing here talks to Kafka or PostgreSQL, so the operator and the reset command share it.
 */
public final class ResetPlanner {

  private final Clock clock;

  /** The clock gives "now" for by-duration. */
  public ResetPlanner(Clock clock) {
    this.clock = clock;
  }

  /**
   * The time whose offsets the caller must look up (Kafka's offsetsForTimes) for this target: the timestamp, or
   * now minus the duration; empty for the other targets.
   */
  public Optional<Instant> lookupTime(ResetTarget target) {
    switch (target.type()) {
      case TIMESTAMP:
        return Optional.of(target.timestamp());
      case BY_DURATION:
        return Optional.of(clock.instant().minus(target.duration()));
      default:
        return Optional.empty();
    }
  }

  /**
   * The partitions a plan covers: the subset when given, else every partition of the topic; for target offset, the
   * partitions listed in its offsets, which must then all be in the subset and cover it.
   *
   * @param subset partitions to reset; null or empty for all
   * @param topicPartitions the partitions the topic has
   */
  public SortedSet<Integer> partitionsToPlan(ResetTarget target, Set<Integer> subset, Set<Integer> topicPartitions)
      throws ResetPlanException {
    SortedSet<Integer> existing = new TreeSet<>(topicPartitions);
    boolean all = subset == null || subset.isEmpty();
    SortedSet<Integer> wanted = all ? new TreeSet<>(existing) : new TreeSet<>(subset);
    if (!all) {
      refuseMissing("partitions", wanted, existing);
    }
    if (target.type() != ResetTargetType.OFFSET) {
      return wanted;
    }
    SortedSet<Integer> listed = new TreeSet<>(target.offsets().keySet());
    refuseMissing("offsets", listed, existing);
    if (all) {
      return listed;
    }
    SortedSet<Integer> outside = new TreeSet<>(listed);
    outside.removeAll(wanted);
    if (!outside.isEmpty()) {
      throw new ResetPlanException("offsets are given for partitions " + text(outside) + " that are not in the "
          + "partitions to reset " + text(wanted) + ": add them to the partitions or remove their offsets");
    }
    SortedSet<Integer> uncovered = new TreeSet<>(wanted);
    uncovered.removeAll(listed);
    if (!uncovered.isEmpty()) {
      throw new ResetPlanException("partitions " + text(uncovered) + " are to be reset but have no offset: give "
          + "an offset for each of them or leave them out of the partitions");
    }
    return wanted;
  }

  /**
   * The plan, ordered by partition.
   *
   * @param subset partitions to reset; null or empty for all (see {@link #partitionsToPlan})
   * @param positions one per partition of the topic (at least one per planned partition); partitions outside the
   *     plan are ignored
   */
  public List<PlannedPartition> plan(ResetTarget target, Set<Integer> subset, Collection<PartitionPosition> positions)
      throws ResetPlanException {
    Map<Integer, PartitionPosition> byPartition = new TreeMap<>();
    for (PartitionPosition position : positions) {
      if (byPartition.put(position.partition(), position) != null) {
        throw new IllegalArgumentException("two positions for partition " + position.partition());
      }
    }
    SortedSet<Integer> planned = partitionsToPlan(target, subset, byPartition.keySet());
    SortedSet<Integer> unshiftable = new TreeSet<>();
    List<PlannedPartition> plan = new ArrayList<>();
    for (int partition : planned) {
      PartitionPosition position = byPartition.get(partition);
      if (target.type() == ResetTargetType.SHIFT_BY && position.currentOffset() == null) {
        unshiftable.add(partition);
        continue;
      }
      plan.add(new PlannedPartition(partition, position.currentOffset(), newOffset(target, position),
          position.logStartOffset(), position.logEndOffset()));
    }
    if (!unshiftable.isEmpty()) {
      throw new ResetPlanException("cannot shift partitions " + text(unshiftable) + ": they have no current position "
          + "(no watermark and no committed group offset), so there is nothing to shift from; reset them with "
          + "another target (e.g. earliest or offset) or leave them out of the partitions");
    }
    return plan;
  }

  private static long newOffset(ResetTarget target, PartitionPosition position) {
    switch (target.type()) {
      case EARLIEST:
        return position.logStartOffset();
      case LATEST:
        return position.logEndOffset();
      case OFFSET:
        return clamp(target.offsets().get(position.partition()), position);
      case SHIFT_BY:
        return clamp(saturatedAdd(position.currentOffset(), target.shiftBy()), position);
      case TIMESTAMP:
      case BY_DURATION:
        // The tool does not clamp this one: the broker only returns offsets inside the log.
        return position.offsetForTimestamp() == null ? position.logEndOffset() : position.offsetForTimestamp();
      default:
        throw new IllegalStateException("unknown target type " + target.type());
    }
  }

  private static long clamp(long offset, PartitionPosition position) {
    // Same order as the tool: above the end goes to the end, else below the start goes to the start.
    if (offset > position.logEndOffset()) {
      return position.logEndOffset();
    }
    return Math.max(offset, position.logStartOffset());
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return sum;
  }

  private static void refuseMissing(String what, SortedSet<Integer> wanted, SortedSet<Integer> existing)
      throws ResetPlanException {
    SortedSet<Integer> missing = new TreeSet<>(wanted);
    missing.removeAll(existing);
    if (!missing.isEmpty()) {
      throw new ResetPlanException(what + " name partitions " + text(missing) + " that the topic does not have "
          + "(it has " + (existing.isEmpty() ? "none" : "partitions " + existing.first() + "-" + existing.last())
          + "): fix the " + what);
    }
  }

  private static String text(Collection<Integer> partitions) {
    return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
