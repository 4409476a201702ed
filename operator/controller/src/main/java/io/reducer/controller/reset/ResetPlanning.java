package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.TopicOffsets;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.postgres.DatabasePool;
import io.reducer.controller.postgres.ProjectionDatabase;
import io.reducer.workloads.materializer.Watermark;
import io.reducer.workloads.offsets.PartitionPosition;
import io.reducer.workloads.offsets.PlannedPartition;
import io.reducer.workloads.offsets.ResetPlanException;
import io.reducer.workloads.offsets.ResetPlanner;
import io.reducer.workloads.offsets.ResetTarget;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans a reset in the operator, from the same inputs the reset Job reads: log start and end of every partition,
 * the watermarks and epoch in PostgreSQL, the group's committed offsets and, for time targets, Kafka's offsets for
 * that time. Runs only once the group is quiet, so the positions cannot move under the plan.
 *
 * <p>The reducers have no watermarks and no epoch: their plan comes from the same {@link ResetPlanner} over the actions
 * topic with the group's committed offsets as the current positions.
 */
public final class ResetPlanning {

  private final Clock clock;

  public ResetPlanning(Clock clock) {
    this.clock = clock;
  }

  /**
   * A projection's plan.
   *
   * @param projection the name the projection's watermark rows carry
   */
  public PlanAttempt plan(WatermarkResetSpec spec, String topic, String group, String projection,
      KafkaAdminGateway kafka, DatabasePool database, ProjectionDatabase projections) {
    return plan(spec, topic, group, kafka, () -> database.run("reading watermarks",
        c -> projections.watermarks(c, List.of(projection))).get(projection));
  }

  /** The reducers' plan: group offsets on the actions topic, no watermarks, no epoch. */
  public PlanAttempt planReducers(WatermarkResetSpec spec, String topic, String group, KafkaAdminGateway kafka) {
    return plan(spec, topic, group, kafka, null);
  }

  /** @param watermarks where the projection's watermarks come from; null for the reducers, which have none */
  private PlanAttempt plan(WatermarkResetSpec spec, String topic, String group, KafkaAdminGateway kafka,
      WatermarkSource watermarks) {
    ResetTarget target;
    try {
      target = ResetPlans.target(spec.getTarget());
    } catch (IllegalArgumentException e) {
      return PlanAttempt.refused("InvalidTarget", e.getMessage());
    }
    ResetPlanner planner = new ResetPlanner(clock);
    try {
      TopicOffsets offsets = kafka.topicOffsets(List.of(topic)).get(topic);
      if (offsets == null) {
        return PlanAttempt.unavailable("TopicNotFound", (watermarks == null ? "actions" : "source") + " topic "
            + topic + " does not exist");
      }
      Map<Integer, Long> committed = kafka.committedOffsets(group, topic);
      Optional<Instant> lookup = planner.lookupTime(target);
      Map<Integer, Long> forTime = lookup.isPresent()
          ? kafka.offsetsForTime(topic, offsets.partitions(), lookup.get()) : Map.of();
      Map<Integer, Watermark> rows = watermarks == null ? Map.of() : watermarks.read();
      List<PartitionPosition> positions = new ArrayList<>();
      for (int p = 0; p < offsets.partitions(); p++) {
        Watermark watermark = rows.get(p);
        positions.add(new PartitionPosition(p, offsets.logStart(p), offsets.logEnd(p),
            PartitionPosition.current(watermark == null ? null : watermark.nextOffset(), committed.get(p)),
            lookup.isPresent() ? forTime.get(p) : null));
      }
      List<PlannedPartition> planned = planner.plan(target,
          spec.getPartitions() == null ? null : new HashSet<>(spec.getPartitions()), positions);
      if (watermarks == null) {
        return PlanAttempt.planned(ResetPlans.toStatus(topic, group, planned));
      }
      long epoch = rows.values().stream().mapToLong(Watermark::epoch).max().orElse(0);
      return PlanAttempt.planned(ResetPlans.toStatus(topic, group, epoch, spec.isRebuild(), planned));
    } catch (ResetPlanException e) {
      return PlanAttempt.refused("PlanRefused", e.getMessage());
    } catch (KafkaFailure e) {
      return PlanAttempt.unavailable(e.reason().name(), e.getMessage());
    } catch (DatabaseFailure e) {
      return PlanAttempt.unavailable(e.reason().name(), e.getMessage());
    }
  }

  /** A projection's watermark rows by partition. */
  @FunctionalInterface
  private interface WatermarkSource {
    Map<Integer, Watermark> read() throws DatabaseFailure;
  }
}
