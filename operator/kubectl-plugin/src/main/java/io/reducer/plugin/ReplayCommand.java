package io.reducer.plugin;

import static io.reducer.plugin.Manifests.DRY_RUN;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplaySpec;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.dlq.DlqFilter;
import io.reducer.api.v1alpha1.dlq.ErrorTypeFilter;
import io.reducer.api.v1alpha1.dlq.ReplayTarget;
import io.reducer.api.v1alpha1.dlq.TimeRange;
import io.reducer.plugin.Options.Option;
import java.util.ArrayList;
import java.util.List;

/** kubectl reducer replay: a DlqReplay from the flags of the runbooks' reprocess_dlq.py. */
final class ReplayCommand extends Command {

  static final String DLQ_TOPIC = "--dlq-topic";
  static final String CORRELATION_ID = "--correlation-id";
  static final String ERROR_TYPE = "--error-type";
  static final String EXCLUDE_ERROR_TYPE = "--exclude-error-type";
  static final String FROM = "--from";
  static final String TO = "--to";
  static final String PARTITION = "--partition";
  static final String LIMIT = "--limit";
  static final String RATE = "--rate";
  static final String MAX_REPLAYS = "--max-replays";
  static final String TARGET_TOPIC = "--target-topic";
  static final String ALLOWED_TARGET = "--allowed-target";
  static final String REPLAY_AGAIN = "--replay-again";
  static final String PREVIEW = "--preview";
  static final String PREVIEW_ONLY = "--preview-only";
  static final String CONFIRM = "--confirm";

  ReplayCommand() {
    super("replay", "create a DlqReplay from reprocess_dlq.py's flags (or print it with -o yaml)",
        "kubectl reducer replay --pipeline P | --projection P [filters] [--limit N] [--dry-run | --confirm] "
        + "[--name NAME] [-o yaml|json]",
        """
            reprocess_dlq.py --dlq-topic T --dry-run           kubectl reducer replay --pipeline P --dry-run
            reprocess_dlq.py --correlation-id ID --republish   kubectl reducer replay --pipeline P --correlation-id ID
            reprocess_dlq.py --limit 100 --republish --confirm kubectl reducer replay --pipeline P --limit 100 --confirm

            With approval Manual the replay stops after the preview: kubectl reducer approve dlqr/NAME shows it and
            approves. Example (manifests/examples/dlqreplay.yaml):
              kubectl reducer replay -n orders --pipeline workflows --error-type VALIDATION_ERROR \\
                --error-type DESERIALIZATION_ERROR --from 2025-10-21T12:00:00Z --to 2025-10-21T14:00:00Z \\
                --limit 10000 --rate 5000 --dry-run --name replay-validation-errors-2025-10-21 -o yaml

            exit codes: 0 created (or printed); 2 wrong flags; 3 the pipeline or projection does not exist;
            4 forbidden; 1 other failures (e.g. the name exists already).
            """);
  }

  @Override
  List<Option> options() {
    return List.of(
        Option.value(Manifests.PIPELINE, "PIPELINE", "the ReducerPipeline whose DLQ is replayed"),
        Option.value(Manifests.PROJECTION, "PROJECTION", "or a Projection: its pipeline's DLQ"),
        Option.value(DLQ_TOPIC, "TOPIC", "the dead-letter topic (default: the pipeline's spec.topics.dlq)"),
        Option.repeatable(CORRELATION_ID, "ID", "only records with this correlation id"),
        Option.repeatable(ERROR_TYPE, "TYPE", "only records with this error type, e.g. VALIDATION_ERROR"),
        Option.repeatable(EXCLUDE_ERROR_TYPE, "TYPE", "leave records with this error type in the DLQ"),
        Option.value(FROM, "TIME", "only records at or after this time (RFC 3339; no zone: UTC)"),
        Option.value(TO, "TIME", "only records before this time"),
        Option.repeatable(PARTITION, "N", "only this DLQ partition"),
        Option.value(LIMIT, "N", "at most N records, in DLQ order"),
        Option.value(RATE, "N", "at most N records republished per second"),
        Option.value(MAX_REPLAYS, "N", "skip records already replayed N times (loop guard, default 3)"),
        Option.value(TARGET_TOPIC, "TOPIC", "send every record here instead of its original topic"),
        Option.repeatable(ALLOWED_TARGET, "TOPIC", "a topic records may go back to besides the pipeline's"),
        Option.flag(REPLAY_AGAIN, "also records an earlier replay sent already"),
        Option.flag(DRY_RUN, "approval Manual (the default): preview first, send nothing before approval"),
        Option.flag(PREVIEW, "the same as --dry-run"),
        Option.flag(CONFIRM, "approval Automatic: replay right after the preview (reprocess_dlq.py --confirm)"),
        Option.flag(PREVIEW_ONLY, "only the preview, never replay"),
        Manifests.NAME_OPTION,
        Manifests.OUTPUT_OPTION);
  }

  @Override
  int run(Invocation invocation) throws PluginException {
    Options options = invocation.options();
    Manifests.Subject subject = Manifests.subject(options, name());
    DlqReplaySpec spec = new DlqReplaySpec();
    subject.refer(spec::setPipelineRef, spec::setProjectionRef);
    spec.setDlqTopic(options.value(DLQ_TOPIC));
    spec.setFilter(filter(options));
    if (options.has(LIMIT)) {
      spec.setLimit(Parsing.longValue(options.value(LIMIT), LIMIT, 1, 100_000_000));
    }
    if (options.has(RATE)) {
      spec.setRatePerSecond(Parsing.integer(options.value(RATE), RATE, 1, 10_000_000));
    }
    if (options.has(MAX_REPLAYS)) {
      spec.setMaxReplays(Parsing.integer(options.value(MAX_REPLAYS), MAX_REPLAYS, 1, 100));
    }
    if (options.has(TARGET_TOPIC)) {
      ReplayTarget target = new ReplayTarget();
      target.setTopic(options.value(TARGET_TOPIC));
      spec.setTarget(target);
    }
    if (options.has(ALLOWED_TARGET)) {
      spec.setAllowedTargets(new ArrayList<>(options.values(ALLOWED_TARGET)));
    }
    spec.setReplayAgain(options.has(REPLAY_AGAIN));
    spec.setPreviewOnly(options.has(PREVIEW_ONLY));
    spec.setApproval(Manifests.approval(options, CONFIRM, DRY_RUN, PREVIEW));

    DlqReplay replay = new DlqReplay();
    replay.setSpec(spec);
    return Manifests.createOrPrint(invocation, replay, "replay", subject, "dlqreplays", "dlqr",
        spec.getApproval() == Approval.Manual
            ? "the preview comes first; then: kubectl reducer approve NAME -n NAMESPACE"
            : "follow it with: kubectl reducer status -n NAMESPACE");
  }

  private static DlqFilter filter(Options options) throws PluginException {
    DlqFilter filter = new DlqFilter();
    boolean any = false;
    if (options.has(CORRELATION_ID)) {
      filter.setCorrelationIds(new ArrayList<>(options.values(CORRELATION_ID)));
      any = true;
    }
    if (options.has(ERROR_TYPE) || options.has(EXCLUDE_ERROR_TYPE)) {
      ErrorTypeFilter types = new ErrorTypeFilter();
      if (options.has(ERROR_TYPE)) {
        types.setInclude(new ArrayList<>(options.values(ERROR_TYPE)));
      }
      if (options.has(EXCLUDE_ERROR_TYPE)) {
        types.setExclude(new ArrayList<>(options.values(EXCLUDE_ERROR_TYPE)));
      }
      filter.setErrorTypes(types);
      any = true;
    }
    if (options.has(FROM) || options.has(TO)) {
      TimeRange range = new TimeRange();
      if (options.has(FROM)) {
        range.setFrom(Manifests.timestamp(options.value(FROM), FROM));
      }
      if (options.has(TO)) {
        range.setTo(Manifests.timestamp(options.value(TO), TO));
      }
      filter.setTimeRange(range);
      any = true;
    }
    if (options.has(PARTITION)) {
      List<Integer> partitions = new ArrayList<>();
      for (String partition : options.values(PARTITION)) {
        partitions.add(Parsing.integer(partition, PARTITION, 0, 100_000));
      }
      filter.setPartitions(partitions);
      any = true;
    }
    return any ? filter : null;
  }
}
