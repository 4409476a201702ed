package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.api.v1alpha1.pipeline.TopicSpec;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.Role;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.State;
import io.reducer.api.v1alpha1.pipeline.TopicStatus;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.CreatedTopics;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.ObservedTopic;
import io.reducer.controller.kafka.TopicCreation;
import io.reducer.controller.kafka.TopicObservation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

class TopicChangesTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ACTIONS = "orders.actions";
  private static final String COMMITTED = "orders.state-committed";
  private static final String DLQ = "orders.dlq";

  @Test
  void missingTopicsAreCreatedAsDeclaredAndOmittedValuesAreLeftToTheBroker() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 6, 3, Map.of("retention.ms", "604800000")),
        topic(COMMITTED, 6, null, Map.of()), topic(DLQ, null, null, Map.of()));
    TopicChangeSet changes = TopicChanges.decide(declared, observation(Map.of(), Set.of(ACTIONS, COMMITTED, DLQ)));

    assertThat(changes.creations()).containsExactly(
        new TopicCreation(ACTIONS, 6, 3, Map.of("retention.ms", "604800000")),
        new TopicCreation(COMMITTED, 6, null, Map.of()),
        new TopicCreation(DLQ, null, null, Map.of()));
    assertThat(changes.raises()).isEmpty();
    assertThat(changes.configSets()).isEmpty();

    List<TopicOutcome> outcomes = TopicChanges.outcomes(changes, new TopicActions(
        new CreatedTopics(Map.of(ACTIONS, 6, COMMITTED, 6, DLQ, 1), Map.of()), Map.of(), Map.of()));
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    List<PlannedEvent> events = TopicChanges.report(status, outcomes, 2, NOW);

    assertThat(status.getTopics()).extracting(TopicStatus::getRole, TopicStatus::getName, TopicStatus::getPartitions,
        TopicStatus::getState).containsExactly(
            tuple(Role.actions, ACTIONS, 6, State.Ready),
            tuple(Role.stateCommitted, COMMITTED, 6, State.Ready),
            tuple(Role.dlq, DLQ, 1, State.Ready));
    assertThat(status.getTopicsReady()).isEqualTo("3/3");
    assertThat(condition(status)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
      assertThat(c.getReason()).isEqualTo("AllTopicsReady");
      assertThat(c.getObservedGeneration()).isEqualTo(2);
    });
    assertThat(events).extracting(PlannedEvent::message).containsExactly(
        "Created topic orders.actions (spec.topics.actions) with 6 partitions, replication factor 3 and config "
            + "retention.ms=604800000",
        "Created topic orders.state-committed (spec.topics.stateCommitted) with 6 partitions, the broker's default "
            + "replication factor",
        "Created topic orders.dlq (spec.topics.dlq) with the broker's default partitions (1), the broker's default "
            + "replication factor");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.TopicCreated);
      assertThat(e.type()).isEqualTo("Normal");
    });
  }

  @Test
  void partitionsAreRaisedButNeverLoweredAndTheDecreaseIsRefusedWhileTheOtherTopicsStayReady() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 8, null, Map.of()), topic(COMMITTED, 4, null, Map.of()),
        topic(DLQ, 1, null, Map.of()));
    TopicChangeSet changes = TopicChanges.decide(declared,
        observation(Map.of(ACTIONS, observed(ACTIONS, 6, 1, Map.of()),
        COMMITTED, observed(COMMITTED, 6, 1, Map.of()), DLQ, observed(DLQ, 1, 1, Map.of())), Set.of()));

    assertThat(changes.raises()).containsExactly(Map.entry(ACTIONS, 8));
    assertThat(changes.creations()).isEmpty();

    ReducerPipelineStatus status = new ReducerPipelineStatus();
    List<PlannedEvent> events = TopicChanges.report(status, TopicChanges.outcomes(changes, none()), 1, NOW);

    assertThat(status.getTopics()).extracting(TopicStatus::getState)
        .containsExactly(State.Ready, State.PartitionDecreaseRefused, State.Ready);
    assertThat(status.getTopics()).extracting(TopicStatus::getPartitions).containsExactly(8, 6, 1);
    assertThat(status.getTopics().get(1).getMessage()).isEqualTo("topic orders.state-committed has 6 partitions and "
        + "spec.topics.stateCommitted.partitions asks for 4: Kafka cannot remove partitions, so the topic keeps 6; "
        + "set partitions to 6 or more, or omit it");
    assertThat(status.getTopicsReady()).isEqualTo("2/3");
    assertThat(condition(status)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.False);
      assertThat(c.getReason()).isEqualTo("PartitionDecreaseRefused");
      assertThat(c.getMessage()).contains("orders.state-committed has 6 partitions");
    });
    assertThat(events).extracting(PlannedEvent::reason, PlannedEvent::type).containsExactly(
        tuple(EventReason.PartitionsIncreased, "Normal"),
        tuple(EventReason.TopicChangeRefused, "Warning"));
    assertThat(events.get(0).message()).isEqualTo("Raised the partitions of topic orders.actions from 6 to 8 "
        + "(spec.topics.actions)");
    assertThat(TopicChanges.check(TopicChanges.outcomes(changes, none())).needsUser()).isTrue();
  }

  @Test
  void aRefusalWarnsOncePerEpisode() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 2, null, Map.of()), topic(COMMITTED, null, null, Map.of()),
        topic(DLQ, null, null, Map.of()));
    TopicObservation found = observation(Map.of(ACTIONS, observed(ACTIONS, 3, 1, Map.of()),
        COMMITTED, observed(COMMITTED, 3, 1, Map.of()), DLQ, observed(DLQ, 1, 1, Map.of())), Set.of());
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    assertThat(report(status, declared, found)).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.TopicChangeRefused);
    assertThat(report(status, declared, found)).isEmpty();

    // Fixed, then refused again: a new episode.
    List<DeclaredTopic> fixed = declared(topic(ACTIONS, 3, null, Map.of()), topic(COMMITTED, null, null, Map.of()),
        topic(DLQ, null, null, Map.of()));
    assertThat(report(status, fixed, found)).isEmpty();
    assertThat(condition(status).getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(report(status, declared, found)).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.TopicChangeRefused);
  }

  @Test
  void onlyDifferingConfigsAreSetAndConfigsTheSpecDoesNotSetAreLeftAlone() {
    List<DeclaredTopic> declared = declared(
        topic(ACTIONS, null, null, Map.of("retention.ms", "86400000", "cleanup.policy", "delete")),
        topic(COMMITTED, null, null, Map.of("cleanup.policy", "compact")), topic(DLQ, null, null, Map.of()));
    TopicChangeSet changes = TopicChanges.decide(declared, observation(Map.of(
        ACTIONS, observed(ACTIONS, 3, 1, Map.of("retention.ms", "604800000", "segment.bytes", "1048576")),
        COMMITTED, observed(COMMITTED, 3, 1, Map.of("cleanup.policy", "compact", "retention.ms", "1000")),
        DLQ, observed(DLQ, 1, 1, Map.of("retention.ms", "1000"))), Set.of()));

    // segment.bytes and retention.ms exist only on the topics: the changes never mention them, so nothing deletes them.
    assertThat(changes.configSets()).containsExactly(
        Map.entry(ACTIONS, Map.of("retention.ms", "86400000", "cleanup.policy", "delete")));
    assertThat(changes.raises()).isEmpty();

    ReducerPipelineStatus status = new ReducerPipelineStatus();
    List<PlannedEvent> events = TopicChanges.report(status, TopicChanges.outcomes(changes, none()), 1, NOW);
    assertThat(events).extracting(PlannedEvent::reason).containsExactly(EventReason.TopicConfigChanged);
    assertThat(events.get(0).message()).isEqualTo("Set cleanup.policy=delete (was not set on the topic), "
        + "retention.ms=86400000 (was 604800000) on topic orders.actions (spec.topics.actions.config)");
    assertThat(status.getTopicsReady()).isEqualTo("3/3");
  }

  @Test
  void aConfigTheBrokerRejectsIsAnErrorWithTheBrokersMessageAndTheOtherTopicsGoOn() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 4, null, Map.of("cleanup.policy", "shred")),
        topic(COMMITTED, null, null, Map.of("retention.bytes", "x")), topic(DLQ, null, null, Map.of()));
    TopicChangeSet changes = TopicChanges.decide(declared,
        observation(Map.of(ACTIONS, observed(ACTIONS, 3, 1, Map.of()),
        DLQ, observed(DLQ, 1, 1, Map.of())), Set.of(COMMITTED)));
    KafkaFailure rejected = failure(new InvalidConfigurationException("Invalid value shred for configuration "
        + "cleanup.policy"), "changing the config of topic " + ACTIONS);
    KafkaFailure rejectedAtCreation = failure(new InvalidConfigurationException("Invalid value x for configuration "
        + "retention.bytes"), "creating topic " + COMMITTED);

    List<TopicOutcome> outcomes = TopicChanges.outcomes(changes, new TopicActions(
        new CreatedTopics(Map.of(), Map.of(COMMITTED, rejectedAtCreation)), Map.of(), Map.of(ACTIONS, rejected)));
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    List<PlannedEvent> events = TopicChanges.report(status, outcomes, 1, NOW);

    assertThat(status.getTopics()).extracting(TopicStatus::getState)
        .containsExactly(State.Error, State.Error, State.Ready);
    // The partitions were raised even though the config was rejected.
    assertThat(status.getTopics().get(0).getPartitions()).isEqualTo(4);
    assertThat(status.getTopics().get(0).getMessage()).contains("Invalid value shred for configuration cleanup.policy")
        .contains("spec.topics.actions.config");
    assertThat(status.getTopics().get(1).getPartitions()).isNull();
    assertThat(condition(status)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.False);
      assertThat(c.getReason()).isEqualTo("TopicConfigRejected");
      assertThat(c.getMessage()).contains("cleanup.policy").contains("retention.bytes");
    });
    assertThat(events).extracting(PlannedEvent::reason).containsExactly(EventReason.PartitionsIncreased,
        EventReason.TopicChangeFailed, EventReason.TopicChangeFailed);
  }

  @Test
  void anotherReplicationFactorIsRefusedAndNeverChangedWhileOtherChangesGoAhead() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 6, 3, Map.of()), topic(COMMITTED, 3, 1, Map.of()),
        topic(DLQ, null, null, Map.of()));
    TopicChangeSet changes = TopicChanges.decide(declared,
        observation(Map.of(ACTIONS, observed(ACTIONS, 3, 1, Map.of()),
        COMMITTED, observed(COMMITTED, 3, 1, Map.of()), DLQ, observed(DLQ, 1, 1, Map.of())), Set.of()));

    assertThat(changes.raises()).containsExactly(Map.entry(ACTIONS, 6));
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    TopicChanges.report(status, TopicChanges.outcomes(changes, none()), 1, NOW);

    assertThat(status.getTopics().get(0).getState()).isEqualTo(State.ReplicationFactorChangeRefused);
    assertThat(status.getTopics().get(0).getPartitions()).isEqualTo(6);
    assertThat(status.getTopics().get(0).getMessage()).isEqualTo("topic orders.actions has replication factor 1 "
        + "and spec.topics.actions.replicationFactor asks for 3: the operator sets it only when it creates a topic "
        + "(changing it reassigns every partition's replicas, e.g. with kafka-reassign-partitions); set "
        + "replicationFactor to 1, or omit it");
    assertThat(condition(status).getReason()).isEqualTo("ReplicationFactorChangeRefused");
  }

  @Test
  void aFailedCreationLeavesTheTopicMissingAndSaysWhy() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 3, 3, Map.of()), topic(COMMITTED, 3, null, Map.of()),
        topic(DLQ, 1, null, Map.of()));
    TopicChangeSet changes = TopicChanges.decide(declared, observation(Map.of(DLQ, observed(DLQ, 1, 1, Map.of())),
        Set.of(ACTIONS, COMMITTED)));
    KafkaFailure tooFewBrokers = failure(new InvalidReplicationFactorException("Replication factor: 3 larger than "
        + "available brokers: 1."), "creating topic " + ACTIONS);
    KafkaFailure raced = failure(new TopicExistsException("Topic 'orders.state-committed' already exists."),
        "creating topic " + COMMITTED);

    List<TopicOutcome> outcomes = TopicChanges.outcomes(changes, new TopicActions(
        new CreatedTopics(Map.of(), Map.of(ACTIONS, tooFewBrokers, COMMITTED, raced)), Map.of(), Map.of()));
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    TopicChanges.report(status, outcomes, 1, NOW);

    assertThat(status.getTopics()).extracting(TopicStatus::getState)
        .containsExactly(State.Missing, State.Unknown, State.Ready);
    assertThat(status.getTopics().get(0).getMessage()).contains("larger than available brokers");
    assertThat(condition(status).getReason()).isEqualTo("TopicCreateFailed");
    assertThat(TopicChanges.check(outcomes).needsUser()).isTrue();
    // One topic is not known yet: no count rather than a wrong one.
    assertThat(status.getTopicsReady()).isNull();
  }

  @Test
  void aTopicTheBrokerWillNotDescribeIsLeftAloneAndTheOthersAreStillManaged() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 3, null, Map.of()), topic(COMMITTED, 3, null, Map.of()),
        topic(DLQ, 1, null, Map.of()));
    KafkaFailure denied = failure(new TopicAuthorizationException("Not authorized to access topics: [orders.actions]"),
        "describing topic " + ACTIONS);
    Map<String, KafkaFailure> failed = Map.of(ACTIONS, denied);
    TopicChangeSet changes = TopicChanges.decide(declared,
        new TopicObservation(Map.of(DLQ, observed(DLQ, 1, 1, Map.of())),
        Set.of(COMMITTED), failed));

    assertThat(changes.creations()).extracting(TopicCreation::name).containsExactly(COMMITTED);
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    TopicChanges.report(status, TopicChanges.outcomes(changes, new TopicActions(
        new CreatedTopics(Map.of(COMMITTED, 3), Map.of()), Map.of(), Map.of())), 1, NOW);

    assertThat(status.getTopics()).extracting(TopicStatus::getState)
        .containsExactly(State.Error, State.Ready, State.Ready);
    assertThat(condition(status).getReason()).isEqualTo("KafkaAuthorizationFailed");
  }

  @Test
  void anUnreachableBrokerMakesEveryTopicUnknownNotMissing() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, 3, null, Map.of()), topic(COMMITTED, 3, null, Map.of()),
        topic(DLQ, 1, null, Map.of()));
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    status.setTopicsReady("3/3");

    List<PlannedEvent> events = TopicChanges.report(status, TopicChanges.unknown(declared, "KafkaUnreachable",
        "not checked: Kafka cannot be asked"), 1, NOW);

    assertThat(events).isEmpty();
    assertThat(status.getTopics()).extracting(TopicStatus::getState).containsOnly(State.Unknown);
    assertThat(status.getTopics()).extracting(TopicStatus::getPartitions).containsOnlyNulls();
    assertThat(status.getTopicsReady()).isNull();
    assertThat(condition(status)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.Unknown);
      assertThat(c.getReason()).isEqualTo("KafkaUnreachable");
    });
  }

  @Test
  void theFirstProblemInDeclarationOrderGivesTheReason() {
    List<DeclaredTopic> declared = declared(topic(ACTIONS, null, 2, Map.of()), topic(COMMITTED, null, null, Map.of()),
        topic(DLQ, 1, null, Map.of()));
    TopicChangeSet changes = TopicChanges.decide(declared,
        observation(Map.of(ACTIONS, observed(ACTIONS, 3, 1, Map.of()),
        COMMITTED, observed(COMMITTED, 3, 1, Map.of()), DLQ, observed(DLQ, 2, 1, Map.of())), Set.of()));
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    TopicChanges.report(status, TopicChanges.outcomes(changes, none()), 1, NOW);

    assertThat(condition(status).getReason()).isEqualTo("ReplicationFactorChangeRefused");
    assertThat(condition(status).getMessage()).contains("orders.actions has replication factor 1")
        .contains("orders.dlq has 2 partitions");
  }

  private static List<PlannedEvent> report(ReducerPipelineStatus status, List<DeclaredTopic> declared,
      TopicObservation observation) {
    return TopicChanges.report(status, TopicChanges.outcomes(TopicChanges.decide(declared, observation), none()), 1,
        NOW);
  }

  private static Condition condition(ReducerPipelineStatus status) {
    return status.condition("TopicsReady").orElseThrow();
  }

  private static TopicActions none() {
    return TopicActions.none();
  }

  private static KafkaFailure failure(Exception cause, String what) {
    return KafkaFailure.of(cause, "kafka:9092", what);
  }

  private static TopicObservation observation(Map<String, ObservedTopic> found, Set<String> missing) {
    return new TopicObservation(found, missing, Map.of());
  }

  private static ObservedTopic observed(String name, int partitions, int replicationFactor,
      Map<String, String> overrides) {
    return new ObservedTopic(name, partitions, replicationFactor, overrides);
  }

  private static List<DeclaredTopic> declared(TopicSpec actions, TopicSpec stateCommitted, TopicSpec dlq) {
    PipelineTopics topics = new PipelineTopics();
    topics.setActions(actions);
    topics.setStateCommitted(stateCommitted);
    topics.setDlq(dlq);
    return DeclaredTopic.of(topics);
  }

  private static TopicSpec topic(String name, Integer partitions, Integer replicationFactor,
      Map<String, String> config) {
    TopicSpec spec = new TopicSpec(name, partitions);
    spec.setReplicationFactor(replicationFactor);
    spec.setConfig(config.isEmpty() ? null : new HashMap<>(config));
    return spec;
  }
}
