package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.Event;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.common.LowerThreshold;
import io.reducer.api.v1alpha1.common.UpperThreshold;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.pipeline.PipelineHealthThresholds;
import io.reducer.api.v1alpha1.pipeline.PipelineMetrics;
import io.reducer.api.v1alpha1.pipeline.TopicStatus;
import io.reducer.api.v1alpha1.reset.ResetTarget;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.oneshot.Approvals;
import io.reducer.controller.reset.CanonicalRepairs;
import io.reducer.controller.reset.ResetHold;
import io.reducer.controller.reset.ShadowRebuilds;
import io.reducer.controller.status.HealthClassifier;
import io.reducer.controller.workload.EmergencyStop;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** One screen per pipeline, as {@code kubectl reducer status} prints it. A value not measured shows as unknown. */
final class Status {

  static final String UNKNOWN = "unknown";
  private static final String NONE = "-";

  private Status() {
  }

  static String pipeline(ReducerPipeline pipeline, NamespaceSnapshot snapshot, Clock clock, int events) {
    String name = pipeline.getMetadata().getName();
    ReducerPipelineStatus status = pipeline.getStatus() == null ? new ReducerPipelineStatus() : pipeline.getStatus();
    StringBuilder text = new StringBuilder();
    EmergencyStop.Reason paused = EmergencyStop.of(pipeline,
        pipeline.getSpec() != null && pipeline.getSpec().isPaused());
    text.append("PIPELINE ").append(snapshot.namespace()).append('/').append(name)
        .append("   health ").append(level(status.getHealth()))
        .append("   probed ").append(Ages.ago(Ages.parse(status.getLastProbeTime()), clock))
        .append(paused == null ? "" : "   PAUSED (" + paused.message() + ")").append('\n');

    section(text, "CONDITIONS", conditions(status, clock));

    Table topics = new Table("ROLE", "TOPIC", "PARTITIONS", "STATE", "MESSAGE");
    for (TopicStatus topic : status.getTopics()) {
      topics.row(topic.getRole(), topic.getName(), topic.getPartitions(), topic.getState(),
          topic.getMessage() == null ? "" : topic.getMessage());
    }
    section(text, "TOPICS (ready " + orUnknown(status.getTopicsReady()) + ")", topics);

    int desired = pipeline.getSpec() == null || pipeline.getSpec().getReducer() == null ? 0
        : pipeline.getSpec().getReducer().getReplicas();
    text.append("\nREDUCERS\n  replicas ").append(desired).append(" (spec)   ready ")
        .append(orUnknown(status.getReducersReady()))
        .append(status.getActiveReset() == null ? "" : "   held by reset " + status.getActiveReset()).append('\n');

    section(text, "HEALTH (thresholds from spec.health)", health(pipeline, status.getMetrics()));

    List<Projection> projections = snapshot.projectionsOf(name);
    Table views = new Table("PROJECTION", "PARTITIONS", "READY", "LAG", "WM-LAG-MS", "STALLED", "HEALTH");
    for (Projection projection : projections) {
      ProjectionStatus p = projection.getStatus() == null ? new ProjectionStatus() : projection.getStatus();
      String holder = ResetHold.holder(projection) != null ? ResetHold.holder(projection) : p.getActiveReset();
      EmergencyStop.Reason stopped = EmergencyStop.of(projection, projection.getSpec() != null
          && projection.getSpec().isPaused());
      views.row(projection.getMetadata().getName(), p.getPartitions(),
          orUnknown(p.getReadyReplicas()) + "/" + orUnknown(p.getReplicas()), p.getConsumerLag(), p.getWatermarkLagMs(),
          p.getStalledPartitions().isEmpty() ? NONE : p.getStalledPartitions().toString(), level(p.getHealth()));
      if (holder != null) {
        views.note("held by WatermarkReset " + holder + " (materializers at zero until it resumes them)");
      } else if (stopped != null) {
        views.note("paused: " + stopped.message());
      }
    }
    section(text, "PROJECTIONS (healthy " + orUnknown(status.getProjectionsHealthy()) + ")", views);

    Table replays = new Table("DLQ REPLAY", "PHASE", "AGE", "WAITING FOR");
    for (DlqReplay replay : snapshot.replaysOf(name)) {
      DlqReplayPhase phase = replay.getStatus() == null ? null : replay.getStatus().getPhase();
      if (phase == null || !phase.isTerminal()) {
        replays.row(replay.getMetadata().getName(), phase == null ? "Pending" : phase,
            Ages.age(Ages.parse(replay.getMetadata().getCreationTimestamp()), clock), waitingFor(replay));
      }
    }
    section(text, "DLQ REPLAYS IN FLIGHT", replays);

    Table resets = new Table("WATERMARK RESET", "OF", "TARGET", "PHASE", "WAITING FOR");
    for (WatermarkReset reset : snapshot.resetsOf(name)) {
      WatermarkResetPhase phase = reset.getStatus() == null ? null : reset.getStatus().getPhase();
      if (phase == null || !phase.isTerminal()) {
        resets.row(reset.getMetadata().getName(), subject(reset), target(reset),
            phase == null ? "Pending" : phase, waitingFor(reset));
      }
    }
    section(text, "WATERMARK RESETS IN FLIGHT", resets);

    Table warnings = new Table("AGE", "OBJECT", "REASON", "MESSAGE");
    for (Event event : snapshot.warningsOf(snapshot.objectsOf(pipeline), events)) {
      warnings.row(Ages.age(NamespaceSnapshot.time(event), clock),
          shortKind(event.getInvolvedObject().getKind()) + "/" + event.getInvolvedObject().getName(),
          event.getReason(), event.getMessage());
    }
    if (snapshot.eventsUnavailable() != null) {
      text.append("\nRECENT WARNING EVENTS\n").append(Table.wrap("not shown: " + snapshot.eventsUnavailable()
          .lines().findFirst().orElse(""), Table.WIDTH - 2).stream().map(line -> "  " + line + "\n")
          .collect(java.util.stream.Collectors.joining()));
    } else {
      section(text, "RECENT WARNING EVENTS", warnings);
    }
    return text.toString();
  }

  private static Table conditions(ConditionedStatus status, Clock clock) {
    Table table = new Table("CONDITION", "STATUS", "REASON", "AGE", "MESSAGE");
    for (Condition condition : status.getConditions()) {
      table.row(condition.getType(), condition.getStatus(), condition.getReason() == null ? "" : condition.getReason(),
          Ages.age(Ages.parse(condition.getLastTransitionTime()), clock),
          condition.getMessage() == null ? "" : condition.getMessage());
    }
    return table;
  }

  private static Table health(ReducerPipeline pipeline, PipelineMetrics metrics) {
    PipelineHealthThresholds t = pipeline.getSpec() == null || pipeline.getSpec().getHealth() == null
        ? new PipelineHealthThresholds() : pipeline.getSpec().getHealth();
    PipelineMetrics m = metrics == null ? new PipelineMetrics() : metrics;
    Table table = new Table("FIGURE", "VALUE", "WARNING", "CRITICAL", "LEVEL");
    upper(table, "conflict rate %", m.getConflictRatePercent(), t.getConflictRatePercent());
    lower(table, "success rate %", m.getSuccessRatePercent(), t.getSuccessRatePercent());
    upper(table, "commit p95 ms", m.getCommitLatencyP95Ms(), t.getCommitLatencyP95Ms());
    table.row("gave up (probe window)", number(m.getGaveUpCount()), NONE, NONE,
        m.getGaveUpCount() != null && m.getGaveUpCount() > 0 ? "see reducer_gaveup_log" : "");
    upper(table, "outbox backlog", m.getOutboxBacklog(), t.getOutboxBacklog());
    upper(table, "outbox lag ms", m.getOutboxLagMs(), t.getOutboxLagMs());
    table.row("outbox sequence gaps", number(m.getOutboxSequenceGaps()), NONE, "> 0",
        m.getOutboxSequenceGaps() == null ? HealthLevel.Unknown.name()
            : m.getOutboxSequenceGaps() > 0 ? HealthLevel.Critical.name()
            : HealthLevel.Healthy.name());
    upper(table, "DLQ depth", m.getDlqDepth(), t.getDlqDepth());
    table.row("dedup entries", number(m.getDedupEntries()), NONE, NONE, "");
    return table;
  }

  private static void upper(Table table, String figure, Number value, UpperThreshold threshold) {
    table.row(figure, number(value), number(threshold.getWarning()), number(threshold.getCritical()),
        new HealthClassifier().upper(value, threshold).level());
  }

  private static void lower(Table table, String figure, Number value, LowerThreshold threshold) {
    table.row(figure, number(value), "< " + number(threshold.getWarning()), "< " + number(threshold.getCritical()),
        new HealthClassifier().lower(value, threshold).level());
  }

  /** What a replay in flight waits for, in words a person can act on. */
  static String waitingFor(DlqReplay replay) {
    DlqReplayStatus status = replay.getStatus() == null ? new DlqReplayStatus() : replay.getStatus();
    String name = replay.getMetadata().getName();
    String what;
    DlqReplayPhase phase = status.getPhase() == null ? DlqReplayPhase.Pending : status.getPhase();
    switch (phase) {
      case Previewing -> what = "the preview" + job(status.getJobName());
      case AwaitingApproval -> what = Approvals.approved(replay) ? "the operator to act on the approval"
          : "approval: kubectl reducer approve dlqr/" + name + " (matched "
              + (status.getPreview() == null ? UNKNOWN : status.getPreview().getMatched()) + ")";
      case Replaying -> what = "the replay" + job(status.getJobName()) + ", replayed "
          + (status.getProgress() == null ? 0 : status.getProgress().getReplayed());
      default -> what = "its turn";
    }
    return status.getMessage() == null || phase == DlqReplayPhase.AwaitingApproval ? what
        : what + ": " + status.getMessage();
  }

  /** What a reset in flight waits for: its turn, an empty consumer group (naming the member), approval, a Job. */
  static String waitingFor(WatermarkReset reset) {
    WatermarkResetStatus status = reset.getStatus() == null ? new WatermarkResetStatus() : reset.getStatus();
    String name = reset.getMetadata().getName();
    WatermarkResetPhase phase = status.getPhase() == null ? WatermarkResetPhase.Pending : status.getPhase();
    String what;
    switch (phase) {
      case Quiescing -> what = "the consumer group to be empty";
      case Planned -> what = "the plan";
      case AwaitingApproval -> what = Approvals.approved(reset) ? "the operator to act on the approval"
          : "approval: kubectl reducer approve wmr/" + name;
      case Resetting -> what = status.getJobName() == null ? "the operator moving the offsets"
          : "the reset" + job(status.getJobName());
      case Filling -> what = "the shadow to catch up";
      case AwaitingCutoverApproval -> what = ShadowRebuilds.cutoverApproved(reset)
          ? "the operator to act on the cutover approval" : "cutover approval: kubectl reducer approve wmr/" + name;
      case CuttingOver -> what = "the cutover" + job(status.getJobName());
      case Repairing -> what = "the repair" + job(status.getJobName());
      case Resuming -> what = CanonicalRepairs.applies(reset) ? "the hold to be released" : "the replicas to come back";
      default -> what = "its turn";
    }
    return status.getMessage() == null || phase == WatermarkResetPhase.AwaitingApproval ? what
        : what + ": " + status.getMessage();
  }

  private static String job(String jobName) {
    return jobName == null ? "" : " (Job " + jobName + ")";
  }

  static String subject(WatermarkReset reset) {
    return reset.getSpec().getProjectionRef() != null ? "proj/" + reset.getSpec().getProjectionRef().getName()
        : reset.getSpec().getPipelineRef() != null ? "rp/" + reset.getSpec().getPipelineRef().getName() : UNKNOWN;
  }

  /** The reset's target, or for a repair from the canonical store its scope, e.g. "canonical stale". */
  static String target(WatermarkReset reset) {
    if (!CanonicalRepairs.applies(reset)) {
      return target(reset.getSpec().getTarget());
    }
    String key = CanonicalRepairs.key(reset.getSpec());
    return "canonical " + CanonicalRepairs.scope(reset.getSpec()).name().toLowerCase(Locale.ROOT)
        + (key == null ? "" : " key " + key);
  }

  static String target(ResetTarget target) {
    if (target == null || target.getType() == null) {
      return UNKNOWN;
    }
    return switch (target.getType()) {
      case EARLIEST -> "earliest";
      case LATEST -> "latest";
      case OFFSET -> "offsets " + (target.getOffsets() == null ? "" : target.getOffsets().size() + " partitions");
      case TIMESTAMP -> target.getTimestamp();
      case SHIFT_BY -> "shift " + target.getShiftBy();
      case BY_DURATION -> "back " + target.getDuration();
    };
  }

  private static void section(StringBuilder text, String title, Table table) {
    text.append('\n').append(title).append('\n').append(table.isEmpty() ? "  none\n" : table.render());
  }

  private static String shortKind(String kind) {
    return switch (kind == null ? "" : kind) {
      case "ReducerPipeline" -> "rp";
      case "Projection" -> "proj";
      case "DlqReplay" -> "dlqr";
      case "WatermarkReset" -> "wmr";
      default -> kind == null ? UNKNOWN : kind.toLowerCase(Locale.ROOT);
    };
  }

  static String level(HealthLevel level) {
    return level == null ? UNKNOWN : level.name();
  }

  static String orUnknown(Object value) {
    return value == null ? UNKNOWN : value.toString();
  }

  static String number(Number value) {
    if (value == null) {
      return UNKNOWN;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = value.doubleValue();
      return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
    return value.toString();
  }
}
