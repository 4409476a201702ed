package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The rules of kafka-consumer-groups --reset-offsets, partition by partition, edges included. */
class ResetPlannerTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final ResetPlanner planner = new ResetPlanner(Clock.fixed(NOW, ZoneOffset.UTC));

  /** Partition 0: log 10..100, at 50. Partition 1: log 0..40, at 40. Partition 2: empty log at 7, no position. */
  private final List<PartitionPosition> topic = List.of(
      new PartitionPosition(0, 10, 100, 50L, null),
      new PartitionPosition(1, 0, 40, 40L, null),
      new PartitionPosition(2, 7, 7, null, null));

  @Test
  void earliestIsTheLogStartAndKeepsTheCurrentPositionForTheRecord() throws Exception {
    assertThat(planner.plan(ResetTarget.earliest(), null, topic)).containsExactly(
        new PlannedPartition(0, 50L, 10, 10, 100),
        new PlannedPartition(1, 40L, 0, 0, 40),
        new PlannedPartition(2, null, 7, 7, 7));
  }

  @Test
  void latestIsTheLogEnd() throws Exception {
    assertThat(planner.plan(ResetTarget.latest(), Set.of(), topic)).extracting(PlannedPartition::newOffset)
        .containsExactly(100L, 40L, 7L);
  }

  @Test
  void explicitOffsetsAreClampedToTheLogAtBothEnds() throws Exception {
    assertThat(planner.plan(ResetTarget.offsets(Map.of(0, 5L, 1, 41L, 2, 7L)), null, topic))
        .extracting(PlannedPartition::newOffset).containsExactly(10L, 40L, 7L);
    assertThat(planner.plan(ResetTarget.offsets(Map.of(0, 10L, 1, 40L)), null, topic))
        .extracting(PlannedPartition::newOffset).containsExactly(10L, 40L);
    assertThat(planner.plan(ResetTarget.offsets(Map.of(0, 99L, 1, -3L)), null, topic))
        .extracting(PlannedPartition::newOffset).containsExactly(99L, 0L);
  }

  @Test
  void explicitOffsetsResetOnlyThePartitionsTheyList() throws Exception {
    assertThat(planner.plan(ResetTarget.offsets(Map.of(1, 20L)), null, topic))
        .containsExactly(new PlannedPartition(1, 40L, 20, 0, 40));
    assertThat(planner.plan(ResetTarget.offsets(Map.of(1, 20L)), Set.of(1), topic))
        .containsExactly(new PlannedPartition(1, 40L, 20, 0, 40));
  }

  @Test
  void anOffsetForAPartitionOutsideTheSubsetIsRefused() {
    assertThatThrownBy(() -> planner.plan(ResetTarget.offsets(Map.of(0, 20L, 1, 20L)), Set.of(1), topic))
        .isInstanceOf(ResetPlanException.class)
        .hasMessageContaining("offsets are given for partitions 0 that are not in the partitions to reset 1");
  }

  @Test
  void aPartitionOfTheSubsetWithoutAnOffsetIsRefused() {
    assertThatThrownBy(() -> planner.plan(ResetTarget.offsets(Map.of(1, 20L)), Set.of(0, 1), topic))
        .isInstanceOf(ResetPlanException.class)
        .hasMessageContaining("partitions 0 are to be reset but have no offset");
  }

  @Test
  void partitionsTheTopicDoesNotHaveAreRefused() {
    assertThatThrownBy(() -> planner.plan(ResetTarget.offsets(Map.of(1, 20L, 5, 3L)), null, topic))
        .isInstanceOf(ResetPlanException.class)
        .hasMessageContaining("offsets name partitions 5 that the topic does not have (it has partitions 0-2)");
    assertThatThrownBy(() -> planner.plan(ResetTarget.earliest(), Set.of(2, 3, 9), topic))
        .isInstanceOf(ResetPlanException.class)
        .hasMessageContaining("partitions name partitions 3,9 that the topic does not have");
  }

  @Test
  void aSubsetLeavesTheOtherPartitionsOutOfThePlan() throws Exception {
    assertThat(planner.plan(ResetTarget.earliest(), Set.of(2, 0), topic))
        .extracting(PlannedPartition::partition).containsExactly(0, 2);
  }

  @Test
  void timestampTakesTheFirstOffsetAtOrAfterItAndTheLogEndWhenNoRecordIsThatRecent() throws Exception {
    Instant time = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(planner.lookupTime(ResetTarget.timestamp(time))).contains(time);
    List<PartitionPosition> looked = List.of(
        new PartitionPosition(0, 10, 100, 50L, 60L),
        new PartitionPosition(1, 0, 40, 40L, null),
        new PartitionPosition(2, 7, 7, null, null));
    assertThat(planner.plan(ResetTarget.timestamp(time), null, looked))
        .extracting(PlannedPartition::newOffset).containsExactly(60L, 40L, 7L);
  }

  @Test
  void byDurationLooksUpNowMinusTheDuration() throws Exception {
    ResetTarget target = ResetTarget.byDuration(Duration.ofMinutes(90));
    assertThat(planner.lookupTime(target)).contains(Instant.parse("2026-03-01T10:30:00Z"));
    List<PartitionPosition> looked = List.of(
        new PartitionPosition(0, 10, 100, 50L, 10L),
        new PartitionPosition(1, 0, 40, 40L, null));
    assertThat(planner.plan(target, null, looked)).extracting(PlannedPartition::newOffset).containsExactly(10L, 40L);
  }

  @Test
  void otherTargetsNeedNoLookup() {
    assertThat(planner.lookupTime(ResetTarget.earliest())).isEmpty();
    assertThat(planner.lookupTime(ResetTarget.shiftBy(3))).isEmpty();
    assertThat(planner.lookupTime(ResetTarget.offsets(Map.of(0, 1L)))).isEmpty();
  }

  @Test
  void shiftMovesFromTheCurrentPositionAndIsClampedAtBothEnds() throws Exception {
    List<PartitionPosition> positions = List.of(
        new PartitionPosition(0, 10, 100, 50L, null),
        new PartitionPosition(1, 0, 40, 40L, null));
    assertThat(planner.plan(ResetTarget.shiftBy(-30), null, positions))
        .extracting(PlannedPartition::newOffset).containsExactly(20L, 10L);
    assertThat(planner.plan(ResetTarget.shiftBy(-100), null, positions))
        .extracting(PlannedPartition::newOffset).containsExactly(10L, 0L);
    assertThat(planner.plan(ResetTarget.shiftBy(30), null, positions))
        .extracting(PlannedPartition::newOffset).containsExactly(80L, 40L);
    assertThat(planner.plan(ResetTarget.shiftBy(Long.MAX_VALUE), null, positions))
        .extracting(PlannedPartition::newOffset).containsExactly(100L, 40L);
    assertThat(planner.plan(ResetTarget.shiftBy(Long.MIN_VALUE), null, positions))
        .extracting(PlannedPartition::newOffset).containsExactly(10L, 0L);
  }

  @Test
  void shiftOfAPartitionWithoutACurrentPositionIsRefusedLikeTheTool() throws Exception {
    assertThatThrownBy(() -> planner.plan(ResetTarget.shiftBy(-5), null, topic))
        .isInstanceOf(ResetPlanException.class)
        .hasMessageContaining("cannot shift partitions 2: they have no current position");
    assertThat(planner.plan(ResetTarget.shiftBy(-5), Set.of(0, 1), topic))
        .extracting(PlannedPartition::newOffset).containsExactly(45L, 35L);
  }

  @Test
  void anEmptyPartitionGoesToItsOnlyOffsetWhateverTheTarget() throws Exception {
    List<PartitionPosition> empty = List.of(new PartitionPosition(0, 7, 7, 7L, null));
    for (ResetTarget target : List.of(ResetTarget.earliest(), ResetTarget.latest(),
        ResetTarget.offsets(Map.of(0, 0L)), ResetTarget.offsets(Map.of(0, 1000L)), ResetTarget.shiftBy(-3),
        ResetTarget.shiftBy(3), ResetTarget.timestamp(NOW), ResetTarget.byDuration(Duration.ofDays(1)))) {
      assertThat(planner.plan(target, null, empty)).as(target.describe())
          .containsExactly(new PlannedPartition(0, 7L, 7, 7, 7));
    }
  }

  @Test
  void theCurrentPositionIsTheWatermarkElseTheCommittedOffset() {
    assertThat(PartitionPosition.current(6L, 7L)).isEqualTo(6L);
    assertThat(PartitionPosition.current(null, 7L)).isEqualTo(7L);
    assertThat(PartitionPosition.current(null, null)).isNull();
  }

  @Test
  void inconsistentInputIsAProgrammingError() {
    assertThatThrownBy(() -> planner.plan(ResetTarget.earliest(), null,
        List.of(new PartitionPosition(0, 0, 1, null, null), new PartitionPosition(0, 0, 1, null, null))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PartitionPosition(0, 5, 4, null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PartitionPosition(-1, 0, 4, null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
