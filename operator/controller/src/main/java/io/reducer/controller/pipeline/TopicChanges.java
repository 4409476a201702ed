package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.pipeline.TopicSpec;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.State;
import io.reducer.api.v1alpha1.pipeline.TopicStatus;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.ObservedTopic;
import io.reducer.controller.kafka.TopicCreation;
import io.reducer.controller.kafka.TopicObservation;
import io.reducer.controller.pipeline.TopicChangeSet.Entry;
import io.reducer.controller.pipeline.TopicChangeSet.Refusal;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.Conditions;
import io.reducer.controller.status.StatusText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Decides the changes to a pipeline's topics and reports their outcome: plain functions of the spec and of what the
 * broker showed, unit-tested without a broker.
 *
 * <p>It decides creations of missing topics, partition raises and config SETs. It never asks for fewer partitions
 * (Kafka cannot remove them), another replication factor for an existing topic (that is a reassignment of every
 * partition's replicas), the deletion of a topic, or the deletion of a config: a key removed from the spec keeps the
 * topic's value. The first two are refused in status instead, and the rest of the pipeline goes on.
 */
public final class TopicChanges {

  /** TopicsReady reasons of the topics; refusals use their state's name as reason. */
  public static final String ALL_READY = "AllTopicsReady";
  public static final String PENDING = "TopicsPending";
  public static final String CREATE_FAILED = "TopicCreateFailed";
  public static final String CONFIG_REJECTED = "TopicConfigRejected";
  public static final String CONFIG_FAILED = "TopicConfigFailed";
  public static final String INCREASE_FAILED = "PartitionIncreaseFailed";

  private TopicChanges() {
  }

  /** Desired against observed: what to create, raise and set, and what to refuse. */
  public static TopicChangeSet decide(List<DeclaredTopic> declared, TopicObservation observation) {
    List<Entry> entries = new ArrayList<>();
    for (DeclaredTopic topic : declared) {
      String name = topic.name();
      TopicSpec spec = topic.spec();
      ObservedTopic observed = observation.found().get(name);
      KafkaFailure failure = observation.failed().get(name);
      if (failure != null || observed == null && !observation.missing().contains(name)) {
        // Nothing is changed on a topic the operator cannot see.
        entries.add(new Entry(topic, null, failure, null, null, Map.of(), List.of()));
      } else if (observed == null) {
        entries.add(new Entry(topic, null, null, new TopicCreation(name, spec.getPartitions(),
            spec.getReplicationFactor(), topic.config()), null, Map.of(), List.of()));
      } else {
        entries.add(existing(topic, observed));
      }
    }
    return new TopicChangeSet(entries);
  }

  private static Entry existing(DeclaredTopic topic, ObservedTopic observed) {
    TopicSpec spec = topic.spec();
    List<Refusal> refusals = new ArrayList<>();
    Integer raiseTo = null;
    Integer wanted = spec.getPartitions();
    if (wanted != null && wanted > observed.partitions()) {
      raiseTo = wanted;
    } else if (wanted != null && wanted < observed.partitions()) {
      refusals.add(new Refusal(State.PartitionDecreaseRefused, "topic " + topic.name() + " has "
          + observed.partitions() + " partitions and " + topic.field() + ".partitions asks for " + wanted
          + ": Kafka cannot remove partitions, so the topic keeps " + observed.partitions() + "; set partitions to "
          + observed.partitions() + " or more, or omit it"));
    }
    Integer replicationFactor = spec.getReplicationFactor();
    if (replicationFactor != null && replicationFactor != observed.replicationFactor()) {
      refusals.add(new Refusal(State.ReplicationFactorChangeRefused, "topic " + topic.name()
          + " has replication factor " + observed.replicationFactor() + " and " + topic.field()
          + ".replicationFactor asks for " + replicationFactor + ": the operator sets it only when it creates a "
          + "topic (changing it reassigns every partition's replicas, e.g. with kafka-reassign-partitions); set "
          + "replicationFactor to " + observed.replicationFactor() + ", or omit it"));
    }
    Map<String, String> set = new TreeMap<>();
    topic.config().forEach((key, value) -> {
      if (!value.equals(observed.overrides().get(key))) {
        set.put(key, value);
      }
    });
    return new Entry(topic, observed, null, null, raiseTo, set, refusals);
  }

  /** Each topic's outcome once the calls for {@code changes} were made. */
  public static List<TopicOutcome> outcomes(TopicChangeSet changes, TopicActions actions) {
    List<TopicOutcome> outcomes = new ArrayList<>();
    for (Entry entry : changes.entries()) {
      DeclaredTopic topic = entry.declared();
      if (entry.describeFailure() != null) {
        KafkaFailure failure = entry.describeFailure();
        outcomes.add(outcome(topic, null, State.Error, failure.reason().name(), failure.getMessage(),
            needsUser(failure), List.of()));
      } else if (entry.create() != null) {
        outcomes.add(created(topic, entry.create(), actions));
      } else if (entry.observed() != null) {
        outcomes.add(changed(entry, actions));
      } else {
        outcomes.add(outcome(topic, null, State.Unknown, PENDING, "topic " + topic.name() + " was not described; "
            + "checked again at the next reconcile", false, List.of()));
      }
    }
    return outcomes;
  }

  private static TopicOutcome created(DeclaredTopic topic, TopicCreation creation, TopicActions actions) {
    KafkaFailure failure = actions.created().failed().get(topic.name());
    if (failure == null) {
      Integer partitions = actions.created().partitions().getOrDefault(topic.name(), creation.partitions());
      return outcome(topic, partitions, State.Ready, null, null, false,
          List.of(PlannedEvent.normal(EventReason.TopicCreated, creationMessage(topic, creation, partitions))));
    }
    switch (failure.reason()) {
      case TopicAlreadyExists:
        return outcome(topic, null, State.Unknown, PENDING, "topic " + topic.name() + " was created meanwhile by "
            + "another client; checked again at the next reconcile", false, List.of());
      case TopicConfigRejected:
        return outcome(topic, null, State.Error, CONFIG_REJECTED, failure.getMessage() + "; fix " + topic.field()
            + ".config", true, List.of());
      default:
        return outcome(topic, null, State.Missing, CREATE_FAILED, failure.getMessage(), needsUser(failure),
            List.of());
    }
  }

  private static TopicOutcome changed(Entry entry, TopicActions actions) {
    DeclaredTopic topic = entry.declared();
    ObservedTopic observed = entry.observed();
    int partitions = observed.partitions();
    List<PlannedEvent> changes = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    if (entry.raiseTo() != null) {
      KafkaFailure failure = actions.raiseFailures().get(topic.name());
      if (failure == null) {
        changes.add(PlannedEvent.normal(EventReason.PartitionsIncreased, "Raised the partitions of topic "
            + topic.name() + " from " + partitions + " to " + entry.raiseTo() + " (" + topic.field() + ")"));
        partitions = entry.raiseTo();
      } else {
        problems.add(new Problem(State.Error, INCREASE_FAILED, failure.getMessage(), needsUser(failure)));
      }
    }
    if (!entry.configSet().isEmpty()) {
      KafkaFailure failure = actions.configFailures().get(topic.name());
      if (failure == null) {
        changes.add(PlannedEvent.normal(EventReason.TopicConfigChanged, "Set " + entry.configSet().entrySet()
            .stream().map(e -> e.getKey() + "=" + e.getValue() + " (was " + Optional.ofNullable(observed.overrides()
                .get(e.getKey())).orElse("not set on the topic") + ")").collect(Collectors.joining(", "))
            + " on topic " + topic.name() + " (" + topic.field() + ".config)"));
      } else if (failure.reason() == KafkaFailure.Reason.TopicConfigRejected
          || failure.reason() == KafkaFailure.Reason.InvalidTopicRequest) {
        problems.add(new Problem(State.Error, CONFIG_REJECTED, failure.getMessage() + "; fix " + topic.field()
            + ".config", true));
      } else {
        problems.add(new Problem(State.Error, CONFIG_FAILED, failure.getMessage(), needsUser(failure)));
      }
    }
    entry.refusals().forEach(r -> problems.add(new Problem(r.state(), r.state().name(), r.message(), true)));
    if (problems.isEmpty()) {
      return outcome(topic, partitions, State.Ready, null, null, false, changes);
    }
    Problem first = problems.get(0);
    return outcome(topic, partitions, first.state(), first.reason(),
        problems.stream().map(Problem::message).collect(Collectors.joining("; ")),
        problems.stream().anyMatch(Problem::needsUser), changes);
  }

  /** Outcomes when the broker could not be asked: every topic Unknown, with the connection's reason. */
  public static List<TopicOutcome> unknown(List<DeclaredTopic> declared, String reason, String message) {
    return declared.stream().map(topic -> outcome(topic, null, State.Unknown, reason, message, false, List.of()))
        .toList();
  }

  /**
   * Writes {@code status.topics}, {@code topicsReady} and the TopicsReady condition.
   *
   * @return Events: the changes made, and a warning when a topic enters a refusal or failure (once per episode: not
   *     again while its state and message stay the same)
   */
  public static List<PlannedEvent> report(ReducerPipelineStatus status, List<TopicOutcome> outcomes, long generation,
      Instant now) {
    List<PlannedEvent> events = new ArrayList<>();
    List<TopicStatus> previous = status.getTopics() == null ? List.of() : status.getTopics();
    List<TopicStatus> topics = new ArrayList<>();
    for (TopicOutcome outcome : outcomes) {
      events.addAll(outcome.changes());
      Optional<TopicStatus> before = previous.stream().filter(t -> t.getRole() == outcome.role()
          && Objects.equals(t.getName(), outcome.name())).findFirst();
      boolean sameEpisode = before.map(t -> t.getState() == outcome.state()
          && Objects.equals(t.getMessage(), outcome.message())).orElse(false);
      if (outcome.problem() && !sameEpisode) {
        boolean refused = outcome.state() == State.PartitionDecreaseRefused
            || outcome.state() == State.ReplicationFactorChangeRefused;
        events.add(PlannedEvent.warning(refused ? EventReason.TopicChangeRefused : EventReason.TopicChangeFailed,
            outcome.message()));
      }
      TopicStatus topic = new TopicStatus();
      topic.setRole(outcome.role());
      topic.setName(outcome.name());
      topic.setPartitions(outcome.partitions());
      topic.setState(outcome.state());
      topic.setMessage(StatusText.capped(outcome.message(), Bounds.CONDITION_MESSAGE));
      topics.add(topic);
    }
    status.setTopics(topics);
    boolean unknown = outcomes.stream().anyMatch(o -> o.state() == State.Unknown);
    long ready = outcomes.stream().filter(TopicOutcome::ready).count();
    status.setTopicsReady(unknown ? null : ready + "/" + outcomes.size());
    ConnectionCheck check = check(outcomes);
    ConditionStatus condition = check.ok() ? ConditionStatus.True
        : outcomes.stream().anyMatch(TopicOutcome::problem) ? ConditionStatus.False : ConditionStatus.Unknown;
    Conditions.set(status.getConditions(), ConditionTypes.TOPICS_READY, condition, check.reason(), check.message(),
        generation, now);
    return events;
  }

  /**
   * The topics summed up for Ready and Stalled: ok when all are Ready; otherwise the first problem's reason (in the
   * order actions, stateCommitted, dlq) and every problem's message, or the first unknown topic's reason.
   */
  public static ConnectionCheck check(List<TopicOutcome> outcomes) {
    List<TopicOutcome> problems = outcomes.stream().filter(TopicOutcome::problem).toList();
    if (!problems.isEmpty()) {
      return ConnectionCheck.failed(problems.get(0).reason(), problems.stream().map(TopicOutcome::message)
          .collect(Collectors.joining("; ")), problems.stream().anyMatch(TopicOutcome::needsUser));
    }
    Optional<TopicOutcome> unknown = outcomes.stream().filter(o -> o.state() == State.Unknown).findFirst();
    if (unknown.isPresent()) {
      return ConnectionCheck.failed(unknown.get().reason(), unknown.get().message(), false);
    }
    return ConnectionCheck.ok(ALL_READY, outcomes.size() + "/" + outcomes.size() + " topics exist with the declared "
        + "partitions, replication factor and config");
  }

  private static String creationMessage(DeclaredTopic topic, TopicCreation creation, Integer partitions) {
    String count = creation.partitions() != null ? creation.partitions() + " partitions"
        : "the broker's default partitions" + (partitions == null ? "" : " (" + partitions + ")");
    String replication = creation.replicationFactor() != null ? "replication factor " + creation.replicationFactor()
        : "the broker's default replication factor";
    String config = creation.config().isEmpty() ? "" : " and config " + new TreeMap<>(creation.config()).entrySet()
        .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    return "Created topic " + topic.name() + " (" + topic.field() + ") with " + count + ", " + replication + config;
  }

  private static boolean needsUser(KafkaFailure failure) {
    return failure.reason().needsUser();
  }

  private static TopicOutcome outcome(DeclaredTopic topic, Integer partitions, State state, String reason,
      String message, boolean needsUser, List<PlannedEvent> changes) {
    return new TopicOutcome(topic.role(), topic.name(), partitions, state, reason, message, needsUser, changes);
  }

  private record Problem(State state, String reason, String message, boolean needsUser) {
  }
}
