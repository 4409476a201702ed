package io.reducer.plugin;

import static io.reducer.plugin.Manifests.DRY_RUN;

import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.reset.CanonicalRepairSpec;
import io.reducer.api.v1alpha1.reset.PartitionOffset;
import io.reducer.api.v1alpha1.reset.RebuildSource;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.api.v1alpha1.reset.RepairScope;
import io.reducer.api.v1alpha1.reset.ResetTarget;
import io.reducer.api.v1alpha1.reset.ResetTargetType;
import io.reducer.plugin.Options.Option;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** kubectl reducer reset: a WatermarkReset from the flags of kafka-consumer-groups --reset-offsets. */
final class ResetCommand extends Command {

  static final String TO_EARLIEST = "--to-earliest";
  static final String TO_LATEST = "--to-latest";
  static final String TO_DATETIME = "--to-datetime";
  static final String TO_OFFSET = "--to-offset";
  static final String SHIFT_BY = "--shift-by";
  static final String BY_DURATION = "--by-duration";
  static final String PARTITIONS = "--partitions";
  static final String REBUILD = "--rebuild";
  static final String EXECUTE = "--execute";
  static final String PLAN_ONLY = "--plan-only";
  static final String APPROVAL_TIMEOUT = "--approval-timeout";
  static final String RUN_AGAIN = "--run-again";
  static final String SOURCE = "--source";
  static final String STRATEGY = "--strategy";
  static final String KEEP_PREVIOUS = "--keep-previous";
  static final String CUTOVER_APPROVAL = "--cutover-approval";
  static final String SCOPE = RepairCommand.SCOPE;
  static final String KEY = RepairCommand.KEY;
  /** spec.repair.workflowKey's bound in the CRD. */
  private static final int MAX_KEY_LENGTH = 1024;

  private static final List<String> TARGETS = List.of(TO_EARLIEST, TO_LATEST, TO_DATETIME, TO_OFFSET, SHIFT_BY,
      BY_DURATION);

  ResetCommand() {
    super("reset",
        "create a WatermarkReset from kafka-consumer-groups --reset-offsets flags (or print it with -o yaml)",
        "kubectl reducer reset --projection P | --pipeline P --to-earliest | --to-latest | --to-datetime T | "
        + "--to-offset N | --shift-by N | --by-duration D [--rebuild] [--dry-run | --execute] [-o yaml|json]\n"
        + "       kubectl reducer reset --projection P --to-earliest --rebuild --strategy shadow [--keep-previous] "
        + "[--cutover-approval manual] [--dry-run | --execute] [-o yaml|json]\n"
        + "       kubectl reducer reset --projection P --source canonical [--scope stale|all] [--key KEY] "
        + "[--dry-run | --execute] [-o yaml|json]",
        """
            kafka-consumer-groups --group G --reset-offsets --to-datetime 2025-10-21T12:00:00.000 --execute
              kubectl reducer reset --projection P --to-datetime 2025-10-21T12:00:00.000 --execute
            kafka-consumer-groups --group reducer-service --reset-offsets --to-latest --all-topics --execute
              kubectl reducer reset --pipeline P --to-latest --execute
            Rebuild projection (full resync) from the earliest offsets, after looking at the plan:
              kubectl reducer reset --projection P --to-earliest --rebuild --dry-run
              kubectl reducer approve wmr/NAME
            Rebuild it while readers keep the old table, into a shadow table swapped in once it has caught up:
              kubectl reducer reset --projection P --to-earliest --rebuild --strategy shadow --execute
            Repair the rows behind workflow_state (runbook rebuild_projection) while the materializers run:
              kubectl reducer reset --projection P --source canonical --scope stale

            The operator quiesces the consumers first and refuses to touch a live group. Example
            (manifests/examples/watermarkreset.yaml):
              kubectl reducer reset -n orders --projection workflow-projection --to-datetime 2025-10-21T12:00:00Z \\
                --rebuild --dry-run --name rebuild-workflow-projection-2025-10-21 -o yaml

            exit codes: 0 created (or printed); 2 wrong flags; 3 the projection or pipeline does not exist;
            4 forbidden; 1 other failures (e.g. the name exists already).
            """);
  }

  @Override
  List<Option> options() {
    return List.of(
        Option.value(Manifests.PROJECTION, "PROJECTION",
            "reset this Projection: watermarks, epoch and group offsets together"),
        Option.value(Manifests.PIPELINE, "PIPELINE",
            "or reset the pipeline's reducers (their group on the actions topic)"),
        Option.flag(TO_EARLIEST, "to the log start of each partition"),
        Option.flag(TO_LATEST, "to the log end of each partition"),
        Option.value(TO_DATETIME, "TIME", "to the first record at or after TIME (RFC 3339; no zone: UTC)"),
        Option.value(TO_OFFSET, "OFFSETS", "N for every partition of --partitions, or 0=N,1=M per partition"),
        Option.value(SHIFT_BY, "N", "move the current position by N records (negative: back)"),
        Option.value(BY_DURATION, "DURATION", "to now minus DURATION (PT30M, P1DT12H, or 30m, 2h)"),
        Option.value(PARTITIONS, "LIST", "only these partitions, e.g. 0,1,2"),
        Option.flag(REBUILD, "truncate the projection table and rebuild it from the new positions"),
        Option.value(STRATEGY, "STRATEGY", "with --rebuild: inplace (default): readers see missing rows until the "
            + "materializers catch up; shadow: rebuild into a shadow table and swap it in (--to-earliest only)"),
        Option.flag(KEEP_PREVIOUS, "with --strategy shadow: keep the old table after the cutover, as <table>_prev_<id>"),
        Option.value(CUTOVER_APPROVAL, "APPROVAL", "with --strategy shadow: automatic (default) cuts over once the "
            + "shadow has caught up; manual waits for kubectl reducer approve"),
        Option.flag(DRY_RUN, "approval Manual (the default): plan first, change nothing before approval"),
        Option.flag(EXECUTE, "approval Automatic: apply the plan at once (kafka-consumer-groups --execute)"),
        Option.flag(PLAN_ONLY, "spec.dryRun: plan, change nothing, resume"),
        Option.value(APPROVAL_TIMEOUT, "DURATION", "how long the plan waits for approval (default 1h)"),
        Option.flag(RUN_AGAIN, "run even though a reset of this name and spec completed before"),
        Option.value(SOURCE, "SOURCE", "topic (default): move positions to the target; canonical: repair the "
            + "projection's rows from workflow_state instead (no target, --partitions or --rebuild)"),
        Option.value(SCOPE, "SCOPE", "with --source canonical: stale (default): rows behind workflow_state or "
            + "missing; all: every canonical row"),
        Option.value(KEY, "KEY", "with --source canonical: repair only this workflow key"),
        Manifests.NAME_OPTION,
        Manifests.OUTPUT_OPTION);
  }

  @Override
  int run(Invocation invocation) throws PluginException {
    Options options = invocation.options();
    Manifests.Subject subject = Manifests.subject(options, name());
    if (options.has(REBUILD) && subject.pipeline()) {
      throw PluginException.usage("--rebuild truncates a projection table, so it needs --projection");
    }
    WatermarkResetSpec spec = new WatermarkResetSpec();
    subject.refer(spec::setPipelineRef, spec::setProjectionRef);
    if (canonical(options)) {
      repair(options, subject, spec);
    } else {
      positions(options, spec);
    }
    spec.setApproval(Manifests.approval(options, EXECUTE, DRY_RUN));
    spec.setDryRun(options.has(PLAN_ONLY));
    if (options.has(APPROVAL_TIMEOUT)) {
      spec.setApprovalTimeout(iso(options.value(APPROVAL_TIMEOUT), APPROVAL_TIMEOUT));
    }
    spec.setRunAgain(options.has(RUN_AGAIN));

    WatermarkReset reset = new WatermarkReset();
    reset.setSpec(spec);
    return Manifests.createOrPrint(invocation, reset, "reset", subject, "watermarkresets", "wmr",
        spec.getApproval() != Approval.Manual || spec.isDryRun() ? "follow it with: kubectl reducer status -n NAMESPACE"
            : spec.getRebuildSource() == RebuildSource.Canonical
                ? "it writes nothing before approval; then: kubectl reducer approve NAME -n NAMESPACE"
                : "the plan comes first; then: kubectl reducer approve NAME -n NAMESPACE");
  }

  /** --source: topic (the default) or canonical; --scope and --key only with canonical. */
  private static boolean canonical(Options options) throws PluginException {
    String source = options.value(SOURCE, "topic").toLowerCase(java.util.Locale.ROOT);
    if (!source.equals("topic") && !source.equals("canonical")) {
      throw PluginException.usage(SOURCE + " must be topic or canonical, not " + source);
    }
    boolean canonical = source.equals("canonical");
    for (String flag : List.of(SCOPE, KEY)) {
      if (!canonical && options.has(flag)) {
        throw PluginException.usage(flag + " chooses the rows of a repair, so it needs " + SOURCE + " canonical");
      }
    }
    return canonical;
  }

  /** The target, partitions and rebuild of a reset that moves positions (spec.rebuildSource Topic). */
  private static void positions(Options options, WatermarkResetSpec spec) throws PluginException {
    List<Integer> partitions = partitions(options);
    spec.setTarget(target(options, partitions));
    if (partitions != null) {
      if (options.has(REBUILD)) {
        throw PluginException.usage("--rebuild truncates the whole projection, so it cannot be limited to "
            + "--partitions");
      }
      spec.setPartitions(partitions);
    }
    spec.setRebuild(options.has(REBUILD));
    strategy(options, spec);
  }

  /**
   * --strategy and the Shadow rebuild's options; what the CRD's rules refuse (a Shadow rebuild that is not a
   * rebuild, starts anywhere but the earliest offsets, or only plans) is refused here first, with the flag to fix.
   */
  private static void strategy(Options options, WatermarkResetSpec spec) throws PluginException {
    String strategy = options.value(STRATEGY, "inplace").toLowerCase(java.util.Locale.ROOT);
    if (!strategy.equals("inplace") && !strategy.equals("shadow")) {
      throw PluginException.usage(STRATEGY + " must be inplace or shadow, not " + strategy);
    }
    boolean shadow = strategy.equals("shadow");
    for (String flag : List.of(KEEP_PREVIOUS, CUTOVER_APPROVAL)) {
      if (!shadow && options.has(flag)) {
        throw PluginException.usage(flag + " belongs to a Shadow rebuild, so it needs " + STRATEGY + " shadow");
      }
    }
    if (!shadow) {
      return;
    }
    if (!spec.isRebuild()) {
      throw PluginException.usage(STRATEGY + " shadow is how a table is rebuilt, so it needs " + REBUILD);
    }
    if (spec.getTarget().getType() != ResetTargetType.EARLIEST) {
      throw PluginException.usage(STRATEGY + " shadow rebuilds from the earliest offsets only: use " + TO_EARLIEST);
    }
    if (options.has(PLAN_ONLY)) {
      throw PluginException.usage(STRATEGY + " shadow has no plan-only run: drop " + PLAN_ONLY);
    }
    spec.setRebuildStrategy(RebuildStrategy.Shadow);
    spec.setKeepPrevious(options.has(KEEP_PREVIOUS));
    String approval = options.value(CUTOVER_APPROVAL, "automatic").toLowerCase(java.util.Locale.ROOT);
    if (!approval.equals("automatic") && !approval.equals("manual")) {
      throw PluginException.usage(CUTOVER_APPROVAL + " must be automatic or manual, not " + approval);
    }
    spec.setCutoverApproval(approval.equals("manual") ? Approval.Manual : Approval.Automatic);
  }

  /**
   * spec.rebuildSource Canonical: the rows to repair. It moves no position and truncates nothing, so the CRD refuses
   * a pipeline, a target, partitions and rebuild; refused here first, with the flag to drop.
   */
  private static void repair(Options options, Manifests.Subject subject, WatermarkResetSpec spec)
      throws PluginException {
    if (subject.pipeline()) {
      throw PluginException.usage(SOURCE + " canonical repairs a projection table from workflow_state, so it needs "
          + "--projection; the reducers have no table to repair");
    }
    List<String> positional = new ArrayList<>(TARGETS.stream().filter(options::has).toList());
    for (String flag : List.of(PARTITIONS, REBUILD, STRATEGY, KEEP_PREVIOUS, CUTOVER_APPROVAL)) {
      if (options.has(flag)) {
        positional.add(flag);
      }
    }
    if (!positional.isEmpty()) {
      throw PluginException.usage(SOURCE + " canonical moves no position and never truncates: drop "
          + String.join(" and ", positional));
    }
    CanonicalRepairSpec repair = new CanonicalRepairSpec();
    repair.setScope(RepairCommand.scope(options).equals("all") ? RepairScope.All : RepairScope.Stale);
    if (options.has(KEY)) {
      String key = options.value(KEY);
      if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
        throw PluginException.usage(KEY + " takes one workflow key of 1 to " + MAX_KEY_LENGTH + " characters");
      }
      repair.setWorkflowKey(key);
    }
    spec.setRebuildSource(RebuildSource.Canonical);
    spec.setRepair(repair);
  }

  private static ResetTarget target(Options options, List<Integer> partitions) throws PluginException {
    List<String> given = TARGETS.stream().filter(options::has).toList();
    if (given.size() != 1) {
      throw PluginException.usage("give exactly one of " + String.join(", ", TARGETS)
          + (given.isEmpty() ? "" : "; not " + String.join(" and ", given)));
    }
    ResetTarget target = new ResetTarget();
    switch (given.get(0)) {
      case TO_EARLIEST -> target.setType(ResetTargetType.EARLIEST);
      case TO_LATEST -> target.setType(ResetTargetType.LATEST);
      case TO_DATETIME -> {
        target.setType(ResetTargetType.TIMESTAMP);
        target.setTimestamp(Manifests.timestamp(options.value(TO_DATETIME), TO_DATETIME));
      }
      case TO_OFFSET -> {
        target.setType(ResetTargetType.OFFSET);
        target.setOffsets(offsets(options.value(TO_OFFSET), partitions));
      }
      case SHIFT_BY -> {
        target.setType(ResetTargetType.SHIFT_BY);
        target.setShiftBy(Parsing.longValue(options.value(SHIFT_BY), SHIFT_BY, -1_000_000_000_000_000L,
            1_000_000_000_000_000L));
      }
      default -> {
        target.setType(ResetTargetType.BY_DURATION);
        target.setDuration(iso(options.value(BY_DURATION), BY_DURATION));
      }
    }
    return target;
  }

  private static List<PartitionOffset> offsets(String text, List<Integer> partitions) throws PluginException {
    List<PartitionOffset> offsets = new ArrayList<>();
    if (text.contains("=")) {
      for (String pair : text.split(",")) {
        String[] parts = pair.split("=", 2);
        if (parts.length != 2) {
          throw PluginException.usage(TO_OFFSET + " takes 0=N,1=M, not " + text);
        }
        offsets.add(new PartitionOffset(Parsing.integer(parts[0], TO_OFFSET + " partition", 0, 100_000),
            Parsing.longValue(parts[1], TO_OFFSET, 0, Long.MAX_VALUE)));
      }
      if (partitions != null && !partitions.containsAll(offsets.stream().map(PartitionOffset::getPartition)
          .toList())) {
        throw PluginException.usage("every partition of " + TO_OFFSET + " must be listed in " + PARTITIONS);
      }
      return offsets;
    }
    if (partitions == null) {
      throw PluginException.usage(TO_OFFSET + " N needs the partitions it applies to: add --partitions 0,1,2, or "
          + "write " + TO_OFFSET + " 0=N,1=N");
    }
    long offset = Parsing.longValue(text, TO_OFFSET, 0, Long.MAX_VALUE);
    for (int partition : partitions) {
      offsets.add(new PartitionOffset(partition, offset));
    }
    return offsets;
  }

  private static List<Integer> partitions(Options options) throws PluginException {
    if (!options.has(PARTITIONS)) {
      return null;
    }
    List<Integer> partitions = new ArrayList<>();
    for (String partition : options.value(PARTITIONS).split(",")) {
      partitions.add(Parsing.integer(partition, PARTITIONS, 0, 100_000));
    }
    return partitions;
  }

  /** An ISO-8601 duration: kept as written when it is one, else 30m, 2h converted. */
  private static String iso(String text, String flag) throws PluginException {
    Duration duration = Parsing.duration(text, flag);
    if (duration.isNegative() || duration.isZero()) {
      throw PluginException.usage(flag + " must be longer than zero, not " + text);
    }
    return text.trim().toUpperCase(java.util.Locale.ROOT).startsWith("P") ? text.trim() : duration.toString();
  }
}
