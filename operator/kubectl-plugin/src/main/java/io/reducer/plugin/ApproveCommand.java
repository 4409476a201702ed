package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.dlq.DlqPreview;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.dlq.RecordSample;
import io.reducer.api.v1alpha1.reset.PartitionPlan;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.api.v1alpha1.reset.RepairProgress;
import io.reducer.api.v1alpha1.reset.RepairScope;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.api.v1alpha1.reset.ShadowProgress;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.oneshot.Approvals;
import io.reducer.controller.reset.CanonicalRepairs;
import io.reducer.controller.reset.ShadowRebuilds;
import io.reducer.plugin.Options.Option;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * kubectl reducer approve dlqr/NAME | wmr/NAME: shows the preview or the plan from status, asks, and sets the
 * approval annotation the operator waits for; refuses what does not wait for an approval. A Shadow rebuild waiting
 * for its cutover gets the cutover annotation instead, after its shadow's progress and a query to compare the tables.
 */
final class ApproveCommand extends Command {

  static final String YES = "--yes";

  /** The two kinds that wait for approval, with the names kubectl accepts for them. */
  enum Kind {
    DLQ_REPLAY("DlqReplay", "dlqr", "dlqreplays", DlqReplay.class, "dlqr", "dlqreplay", "dlqreplays",
        "dlqreplay.reducer.io", "dlqreplays.reducer.io"),
    WATERMARK_RESET("WatermarkReset", "wmr", "watermarkresets", WatermarkReset.class, "wmr", "watermarkreset",
        "watermarkresets", "watermarkreset.reducer.io", "watermarkresets.reducer.io");

    final String kind;
    final String shortName;
    final String plural;
    final Class<? extends HasMetadata> type;
    final List<String> names;

    Kind(String kind, String shortName, String plural, Class<? extends HasMetadata> type, String... names) {
      this.kind = kind;
      this.shortName = shortName;
      this.plural = plural;
      this.type = type;
      this.names = List.of(names);
    }

    static Kind of(String name) throws PluginException {
      for (Kind kind : values()) {
        if (kind.names.contains(name.toLowerCase(Locale.ROOT))) {
          return kind;
        }
      }
      throw PluginException.usage("approve takes a DlqReplay (dlqr/NAME) or a WatermarkReset (wmr/NAME), not " + name);
    }
  }

  ApproveCommand() {
    super("approve", "show a replay's preview or a reset's plan, ask, then approve it",
        "kubectl reducer approve dlqr/NAME | wmr/NAME [--yes] [-n NAMESPACE]",
        """
            The kinds may also be written dlqreplay/NAME, watermarkreset/NAME, or as two words (dlqr NAME).
            Approving sets the annotation reducer.io/approve: "true", as kubectl annotate would; the operator then
            replays the previewed snapshot or applies the plan shown. Only a resource with spec.approval Manual in
            phase AwaitingApproval, not approved yet, waits for it.
            A WatermarkReset with rebuildStrategy Shadow and cutoverApproval Manual in phase
            AwaitingCutoverApproval waits for its cutover instead: approve prints how far the shadow is and a
            query comparing it with the live table, and sets reducer.io/approve-cutover: "true".

            exit codes: 0 approved; 3 not found; 4 forbidden; 6 nothing to approve (the message says why);
            7 approved, but the operator is not running, so nothing happens until it does; 8 not approved (the
            answer was not yes); 2 usage; 1 other failures.
            """);
  }

  @Override
  List<Option> options() {
    return List.of(Option.flag(YES, "approve without asking (the preview or plan is still printed)").withAlias("-y"));
  }

  @Override
  int run(Invocation invocation) throws PluginException {
    List<String> args = invocation.options().positional();
    String kindName;
    String name;
    if (args.size() == 1 && args.get(0).contains("/")) {
      kindName = args.get(0).substring(0, args.get(0).indexOf('/'));
      name = args.get(0).substring(args.get(0).indexOf('/') + 1);
    } else if (args.size() == 2) {
      kindName = args.get(0);
      name = args.get(1);
    } else {
      throw PluginException.usage("approve takes one resource: dlqr/NAME or wmr/NAME");
    }
    Kind kind = Kind.of(kindName);
    KubernetesClient client = invocation.client();
    String namespace = invocation.namespace();
    HasMetadata resource = get(client, kind, namespace, name);
    String refusal = refusal(resource);
    String ref = kind.shortName + "/" + name;
    if (refusal != null) {
      throw new PluginException(ExitCode.NOTHING_TO_APPROVE, ref + " in namespace " + namespace
          + " does not wait for approval: " + refusal);
    }
    boolean cutover = awaitsCutover(resource);
    invocation.out().print(resource instanceof DlqReplay replay ? preview(replay)
        : cutover ? cutover((WatermarkReset) resource) : plan((WatermarkReset) resource));
    if (!invocation.options().has(YES)) {
      invocation.out().print("\nApprove " + (cutover ? "the cutover of " : "") + ref + " in namespace " + namespace
          + "? Type yes to approve: ");
      invocation.out().flush();
      String answer = invocation.readLine();
      if (answer == null || !List.of("yes", "y").contains(answer.trim().toLowerCase(Locale.ROOT))) {
        invocation.out().println();
        throw new PluginException(ExitCode.DECLINED, "not approved: " + ref + " keeps waiting");
      }
    }
    // What was shown must be what is approved: the operator may have moved on, or the resource been re-created.
    HasMetadata current = get(client, kind, namespace, name);
    String changed = refusal(current);
    if (changed != null) {
      throw new PluginException(ExitCode.NOTHING_TO_APPROVE, ref + " changed while you read it and does not wait "
          + "for approval any more: " + changed);
    }
    if (!Objects.equals(current.getMetadata().getUid(), resource.getMetadata().getUid())
        || !Objects.equals(Json.SERIALIZATION.asJson(shown(current)), Json.SERIALIZATION.asJson(shown(resource)))) {
      throw new PluginException(ExitCode.FAILED, ref + " changed while you read it (a new "
          + (resource instanceof DlqReplay ? "preview" : cutover ? "shadow" : "plan") + "); run approve again to see it");
    }
    String patch = Json.SERIALIZATION.asJson(Map.of("metadata", Map.of("annotations",
        Map.of(cutover ? RebuildStrategy.CUTOVER_ANNOTATION : Approval.ANNOTATION, "true"))));
    Kube.run("patch", kind.plural + ".reducer.io", namespace, () -> client.resources(kind.type)
        .inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    invocation.out().println(kind.plural.substring(0, kind.plural.length() - 1) + ".reducer.io/" + name
        + (cutover ? " cutover approved" : " approved"));
    OperatorLookup.Found operator = OperatorLookup.find(client, invocation.clock(), namespace);
    if (operator.lease().notRunning()) {
      invocation.err().println("warning: the operator is " + operator.lease().describe(invocation.clock())
          + "; the approval takes effect once it runs");
      return ExitCode.OPERATOR_NOT_RUNNING;
    }
    return ExitCode.OK;
  }

  private static HasMetadata get(KubernetesClient client, Kind kind, String namespace, String name)
      throws PluginException {
    HasMetadata resource = Kube.call("get", kind.plural + ".reducer.io", namespace,
        () -> client.resources(kind.type).inNamespace(namespace).withName(name).get());
    if (resource == null) {
      throw Kube.notFound(kind.kind, name, namespace, "kubectl get " + kind.shortName);
    }
    return resource;
  }

  /** What approving stands for. A shadow's progress moves every few seconds, so only its table must be the same. */
  private static Object shown(HasMetadata resource) {
    if (resource instanceof DlqReplay replay) {
      return replay.getStatus() == null ? null : replay.getStatus().getPreview();
    }
    WatermarkReset reset = (WatermarkReset) resource;
    if (awaitsCutover(reset)) {
      return reset.getStatus().getShadow() == null ? null : reset.getStatus().getShadow().getTable();
    }
    return reset.getStatus() == null ? null : reset.getStatus().getPlan();
  }

  /** A Shadow rebuild whose shadow has caught up and waits for its cutover to be approved. */
  static boolean awaitsCutover(HasMetadata resource) {
    return resource instanceof WatermarkReset reset && reset.getStatus() != null
        && reset.getStatus().getPhase() == WatermarkResetPhase.AwaitingCutoverApproval;
  }

  /** Why the resource does not wait for an approval now, or null when it does. */
  static String refusal(HasMetadata resource) {
    Approval approval;
    String phase;
    boolean finished;
    boolean waiting;
    String what;
    if (resource instanceof DlqReplay replay) {
      DlqReplayPhase p = replay.getStatus() == null ? null : replay.getStatus().getPhase();
      approval = replay.getSpec().getApproval();
      phase = p == null ? "Pending" : p.name();
      finished = p != null && p.isTerminal();
      waiting = p == DlqReplayPhase.AwaitingApproval;
      what = "its preview";
      if (replay.getSpec().isPreviewOnly() && !finished) {
        return "spec.previewOnly is true: it only previews, nothing is ever replayed";
      }
    } else {
      WatermarkReset reset = (WatermarkReset) resource;
      if (awaitsCutover(reset)) {
        return ShadowRebuilds.cutoverApproved(reset) ? "its cutover is approved already (annotation "
            + RebuildStrategy.CUTOVER_ANNOTATION + ": \"true\"; phase AwaitingCutoverApproval)" : null;
      }
      WatermarkResetPhase p = reset.getStatus() == null ? null : reset.getStatus().getPhase();
      approval = reset.getSpec().getApproval();
      phase = p == null ? "Pending" : p.name();
      finished = p != null && p.isTerminal();
      waiting = p == WatermarkResetPhase.AwaitingApproval;
      what = "its plan";
      if (reset.getSpec().isDryRun() && !finished) {
        return "spec.dryRun is true: it only plans, nothing is ever applied";
      }
    }
    if (finished) {
      return "it has finished (phase " + phase + ")";
    }
    if (approval == Approval.Automatic) {
      return "spec.approval is Automatic: it goes on without approval (phase " + phase + ")";
    }
    if (Approvals.approved(resource)) {
      return "it is approved already (annotation " + Approval.ANNOTATION + ": \"true\"; phase " + phase + ")";
    }
    if (!waiting) {
      return "it is not waiting yet (phase " + phase + "): " + what + " is not in status; run approve again "
          + "once the phase is AwaitingApproval";
    }
    return null;
  }

  static String preview(DlqReplay replay) {
    DlqReplayStatus status = replay.getStatus();
    DlqPreview preview = status.getPreview() == null ? new DlqPreview() : status.getPreview();
    StringBuilder text = new StringBuilder();
    text.append("DlqReplay ").append(replay.getMetadata().getNamespace()).append('/')
        .append(replay.getMetadata().getName()).append("   phase ").append(status.getPhase())
        .append("   of ").append(replay.getSpec().getPipelineRef() != null
            ? "rp/" + replay.getSpec().getPipelineRef().getName()
            : "proj/" + replay.getSpec().getProjectionRef().getName())
        .append(replay.getSpec().getDlqTopic() == null ? "" : "   DLQ " + replay.getSpec().getDlqTopic())
        .append(replay.getSpec().getTarget() == null || replay.getSpec().getTarget().getTopic() == null ? ""
            : "   to " + replay.getSpec().getTarget().getTopic())
        .append("\n\nPREVIEW: ").append(preview.getMatched()).append(" records match and would be replayed")
        .append("\n  skipped: ").append(preview.getUnroutable()).append(" unroutable, ")
        .append(preview.getTargetNotAllowed()).append(" target not allowed, ").append(preview.getAlreadyReplayed())
        .append(" already replayed").append(replay.getSpec().isReplayAgain() ? " (sent again: replayAgain)" : "")
        .append("\n  records from ").append(Status.orUnknown(preview.getOldestRecordTime())).append(" to ")
        .append(Status.orUnknown(preview.getNewestRecordTime())).append('\n');
    counts(text, "BY ERROR TYPE", "ERROR TYPE", preview.getByErrorType());
    counts(text, "BY ORIGINAL TOPIC", "TOPIC", preview.getByOriginalTopic());
    counts(text, "BY DLQ PARTITION", "PARTITION", preview.getByPartition());
    Table samples = new Table("PARTITION", "OFFSET", "ERROR TYPE", "TO TOPIC", "CORRELATION ID");
    for (RecordSample sample : preview.getSamples()) {
      samples.row(sample.getPartition(), sample.getOffset(), sample.getErrorType(), sample.getTargetTopic(),
          sample.getCorrelationId() == null ? "-" : sample.getCorrelationId());
    }
    text.append("\nSAMPLES\n").append(samples.isEmpty() ? "  none\n" : samples.render());
    return text.toString();
  }

  private static void counts(StringBuilder text, String title, String column, Map<String, Long> counts) {
    Table table = new Table(column, "RECORDS");
    counts.forEach(table::row);
    text.append('\n').append(title).append('\n').append(table.isEmpty() ? "  none\n" : table.render());
  }

  static String plan(WatermarkReset reset) {
    if (CanonicalRepairs.applies(reset)) {
      return repair(reset);
    }
    WatermarkResetStatus status = reset.getStatus();
    ResetPlan plan = status.getPlan() == null ? new ResetPlan() : status.getPlan();
    StringBuilder text = new StringBuilder();
    text.append("WatermarkReset ").append(reset.getMetadata().getNamespace()).append('/')
        .append(reset.getMetadata().getName()).append("   phase ").append(status.getPhase())
        .append("   of ").append(Status.subject(reset)).append("   target ")
        .append(Status.target(reset.getSpec().getTarget())).append("\n\nPLAN: topic ")
        .append(Status.orUnknown(plan.getTopic())).append(", consumer group ")
        .append(Status.orUnknown(plan.getConsumerGroup()));
    if (plan.getNewEpoch() != null) {
      text.append(", epoch ").append(Status.orUnknown(plan.getCurrentEpoch())).append(" -> ")
          .append(plan.getNewEpoch()).append(" (older materializers are fenced)");
    }
    text.append('\n');
    if (plan.isTruncate()) {
      text.append("  REBUILD: the projection table is TRUNCATED and rebuilt from the new positions\n");
    }
    Table partitions = new Table("PARTITION", "CURRENT", "NEW", "LOG-START", "LOG-END", "MOVE");
    for (PartitionPlan partition : plan.getPartitions()) {
      Long current = partition.getCurrentOffset();
      String move = current == null ? "from none" : partition.getNewOffset() == current ? "stays"
          : (partition.getNewOffset() < current ? "back " + (current - partition.getNewOffset())
              : "ahead " + (partition.getNewOffset() - current)) + " records";
      partitions.row(partition.getPartition(), current == null ? "none" : current, partition.getNewOffset(),
          partition.getLogStartOffset(), partition.getLogEndOffset(), move);
    }
    text.append(partitions.isEmpty() ? "  no partitions\n" : partitions.render());
    return text.toString();
  }

  /** A repair from the canonical store waiting for approval: what it writes, and that nothing is held. */
  static String repair(WatermarkReset reset) {
    RepairProgress repair = reset.getStatus().getRepair() == null ? new RepairProgress()
        : reset.getStatus().getRepair();
    String table = repair.getTable() != null ? repair.getTable() : reset.getSpec().getProjectionRef() == null
        ? Status.UNKNOWN : "of projection " + reset.getSpec().getProjectionRef().getName();
    return "WatermarkReset " + reset.getMetadata().getNamespace() + "/" + reset.getMetadata().getName() + "   phase "
        + reset.getStatus().getPhase() + "   of " + Status.subject(reset) + "   source " + Status.target(reset)
        + "\n\nREPAIR from workflow_state: " + CanonicalRepairs.what(reset.getSpec(), table) + "\n"
        + "  stale rows at the operator's last probe: " + Status.orUnknown(repair.getStaleRowsBefore()) + "\n"
        + "  a row is written only where workflow_state holds a newer version"
        + (CanonicalRepairs.scope(reset.getSpec()) == RepairScope.All ? " or the same one" : "")
        + ", never an older one; the materializers keep running, nothing is truncated and no position moves\n"
        + (reset.getSpec().isDryRun() ? "  DRY RUN: counts the rows, writes none\n" : "");
  }

  /**
   * A shadow waiting for its cutover: how far it is behind, what the cutover does, and a query diffing the two tables
   * (the live table and identity are the shadow's names without their {@code _shadow_<id>} and {@code #shadow-<id>}).
   */
  static String cutover(WatermarkReset reset) {
    ShadowProgress shadow = reset.getStatus().getShadow() == null ? new ShadowProgress() : reset.getStatus().getShadow();
    String table = Status.orUnknown(shadow.getTable());
    int marker = table.lastIndexOf("_shadow_");
    String live = marker > 0 ? table.substring(0, marker) : "<live table>";
    String rebuildId = marker > 0 ? table.substring(marker + "_shadow_".length()) : "<id>";
    StringBuilder text = new StringBuilder();
    text.append("WatermarkReset ").append(reset.getMetadata().getNamespace()).append('/')
        .append(reset.getMetadata().getName()).append("   phase ").append(reset.getStatus().getPhase())
        .append("   of ").append(Status.subject(reset)).append("   target ")
        .append(Status.target(reset.getSpec().getTarget()))
        .append("\n\nSHADOW: table ").append(table).append(", consumer group ")
        .append(Status.orUnknown(shadow.getConsumerGroup())).append(", Deployment ")
        .append(Status.orUnknown(shadow.getDeployment()))
        .append("\n  behind the live projection: ").append(Status.orUnknown(shadow.getLag())).append(" records on ")
        .append(Status.orUnknown(shadow.getPartitionsBehind())).append(" partitions (next offsets summed: live ")
        .append(Status.orUnknown(shadow.getLiveOffsets())).append(", shadow ")
        .append(Status.orUnknown(shadow.getShadowOffsets())).append(")\n")
        .append("\nCUTOVER: the live materializers stop, the shadow reaches their positions, then ").append(live)
        .append(" and ").append(table).append(" swap in one transaction (readers wait for it, never see a partial ")
        .append("table); the old table is ")
        .append(reset.getSpec().isKeepPrevious() ? "kept as " + live + "_prev_" + rebuildId : "dropped")
        .append("\n\nCOMPARE first (rows that differ; a few may differ only because one side is a little ahead):\n")
        .append("  SELECT workflow_key, l.version AS live_version, s.version AS shadow_version\n")
        .append("  FROM ").append(live).append(" l FULL JOIN ").append(table).append(" s USING (workflow_key)\n")
        .append("  WHERE l.version IS DISTINCT FROM s.version OR l.state IS DISTINCT FROM s.state\n")
        .append("  ORDER BY workflow_key LIMIT 100;\n");
    return text.toString();
  }
}
