package io.reducer.controller.dlq;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplaySpec;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.dlq.DlqFilter;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.controller.workload.WorkloadJob;
import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.dlq.DlqOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The two Jobs of a DlqReplay: {@code <name>-inspect} runs {@code workloads dlq inspect} (snapshot and preview,
 * reads only) and {@code <name>-replay} runs {@code workloads dlq replay} over exactly the snapshot in status. Both
 * get the same selection flags from the spec, so the replay selects what the preview counted.
 */
public final class DlqJobs {

  /** Component label and container name of the preview Job. */
  public static final String INSPECT = "dlq-inspect";
  /** Component label and container name of the replay Job. */
  public static final String REPLAY = "dlq-replay";
  /** Retries of the preview: it only reads, so a retry after a broker hiccup is harmless. */
  static final int INSPECT_BACKOFF_LIMIT = 2;
  /** Retries of the replay: exactly once, a retry resumes after the last committed transaction. */
  static final int REPLAY_BACKOFF_LIMIT = 3;
  /**
   * JVM options of the replay's process, added to the image's own: the serial collector (with the JVM's default
   * tiered compilation, C1 and C2) and a young generation as large as the old one. A replay is one busy thread over a
   * few hot methods for seconds to minutes; its garbage (the Kafka clients' buffers and headers of every record)
   * dies young, so the serial collector's young collections are cheap and G1's extra threads only compete for the
   * cores that thread, the clients' network threads and often the broker need. A larger young generation collects
   * less often, copying the records of the poll in hand fewer times. Transparent huge pages (where the kernel
   * offers them on request, its usual "madvise" mode) back that young generation with 2 MiB pages: fewer page
   * faults and TLB misses for a loop that runs through hundreds of MiB of fresh memory a second. On a node with them
   * off the JVM uses normal pages; -Xlog:pagesize=error keeps its warning about that out of the Job's log. The heap is
   * touched when it is committed (-XX:+AlwaysPreTouch), at start and as it grows, rather than page by page while the
   * loop runs: the page faults and the zeroing of huge pages happen before the first record. C1 only
   * (-XX:TieredStopAtLevel=1), chosen from runs under heavy load, lost to the default compilers on a quiet machine.
   * Measured in docs/benchmarks.md (DLQ replay); scripts/benchmark-dlq-replay.sh starts the replay with the same.
   */
  static final String REPLAY_JVM_OPTIONS =
      "-XX:+UseSerialGC -XX:NewRatio=1 -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch -Xlog:pagesize=error";

  private DlqJobs() {
  }

  public static String inspectJobName(DlqReplay replay) {
    return WorkloadJob.name(replay, "inspect");
  }

  public static String replayJobName(DlqReplay replay) {
    return WorkloadJob.name(replay, "replay");
  }

  /**
   * Selects the operator's workload Jobs, for the Job informer; those of other owners than a DlqReplay are dropped
   * by its owner-reference mapping. Equality terms only: set-based ones ("component in (...)") would select the
   * same, but not every API server implementation (the test server, for one) supports them.
   */
  public static String labelSelector() {
    return "app.kubernetes.io/managed-by=" + WorkloadJob.MANAGED_BY + ",app.kubernetes.io/name=reducer-workloads";
  }

  public static Job inspect(DlqReplay replay, ReplaySource source, String image) {
    List<String> args = new ArrayList<>(List.of("dlq", "inspect"));
    args.addAll(selection(replay.getSpec(), source));
    // The snapshot and per-partition counts of a DLQ of any size go to this group; the message is a summary.
    args.addAll(List.of(DlqOptions.RESULT_GROUP.flag(), ReplayIdentity.inspectGroup(replay)));
    return failFastOnConfigurationErrors(WorkloadJob.build(replay, inspectJobName(replay), INSPECT, image, args,
        WorkloadEnv.kafka(source.pipeline()), INSPECT_BACKOFF_LIMIT), INSPECT);
  }

  /** The replay of exactly {@code snapshot} (from status, as previewed and approved). */
  public static Job replay(DlqReplay replay, ReplaySource source, List<PartitionRange> snapshot, String image) {
    DlqReplaySpec spec = replay.getSpec();
    List<String> args = new ArrayList<>(List.of("dlq", "replay"));
    args.addAll(selection(spec, source));
    args.addAll(List.of(DlqOptions.SNAPSHOT.flag(), ReplayResults.snapshotText(snapshot),
        DlqOptions.REPLAY_NAME.flag(), ReplayIdentity.replayName(replay)));
    if (spec.getRatePerSecond() != null) {
      args.addAll(List.of(DlqOptions.RATE_PER_SECOND.flag(), String.valueOf(spec.getRatePerSecond())));
    }
    List<EnvVar> env = WorkloadEnv.kafka(source.pipeline());
    // Read by the JVM before the image's own options: the image is shared by every workloads command.
    env.add(WorkloadEnv.plain("JAVA_TOOL_OPTIONS", REPLAY_JVM_OPTIONS));
    return failFastOnConfigurationErrors(WorkloadJob.build(replay, replayJobName(replay), REPLAY, image, args,
        env, REPLAY_BACKOFF_LIMIT), REPLAY);
  }

  /**
   * The flags both commands share: DLQ topic, filters, limit, loop guard, target, the allowed targets and whether
   * records an earlier replay sent are sent again.
   */
  static List<String> selection(DlqReplaySpec spec, ReplaySource source) {
    List<String> args = selection(spec, source.dlqTopic());
    list(args, DlqOptions.ALLOWED_TARGETS, allowedTargets(spec, source));
    if (spec.isReplayAgain()) {
      args.addAll(List.of(DlqOptions.REPLAY_AGAIN.flag(), "true"));
    }
    return args;
  }

  /**
   * Where records may go: spec.allowedTargets, else the pipeline's actions and state-committed topics (and the
   * source topic of a projection named by projectionRef); plus spec.target.topic, which the spec names itself. A
   * record's x-original-topic is written by whichever producer failed, so it alone never decides.
   */
  static List<String> allowedTargets(DlqReplaySpec spec, ReplaySource source) {
    ReducerPipeline pipeline = source.pipeline();
    Set<String> allowed = new TreeSet<>();
    if (spec.getAllowedTargets() != null && !spec.getAllowedTargets().isEmpty()) {
      allowed.addAll(spec.getAllowedTargets());
    } else {
      PipelineTopics topics = pipeline.getSpec().getTopics();
      if (topics != null && topics.getActions() != null && topics.getActions().getName() != null) {
        allowed.add(topics.getActions().getName());
      }
      if (topics != null && topics.getStateCommitted() != null && topics.getStateCommitted().getName() != null) {
        allowed.add(topics.getStateCommitted().getName());
      }
      if (source.projectionSourceTopic() != null) {
        allowed.add(source.projectionSourceTopic());
      }
    }
    if (spec.getTarget() != null && spec.getTarget().getTopic() != null) {
      allowed.add(spec.getTarget().getTopic());
    }
    return new ArrayList<>(allowed);
  }

  /** The flags of the spec's selection alone. */
  static List<String> selection(DlqReplaySpec spec, String dlqTopic) {
    List<String> args = new ArrayList<>(List.of(DlqOptions.DLQ_TOPIC.flag(), dlqTopic));
    DlqFilter filter = spec.getFilter();
    if (filter != null) {
      list(args, DlqOptions.PARTITIONS, filter.getPartitions() == null ? null
          : filter.getPartitions().stream().map(String::valueOf).collect(Collectors.toList()));
      // One argument per id, taken whole: an id may contain a comma, and one joined argument could exceed the
      // kernel's 128 KiB limit per argument.
      if (filter.getCorrelationIds() != null) {
        filter.getCorrelationIds().forEach(id -> args.addAll(List.of(DlqOptions.CORRELATION_ID.flag(), id)));
      }
      if (filter.getErrorTypes() != null) {
        list(args, DlqOptions.INCLUDE_ERROR_TYPES, filter.getErrorTypes().getInclude());
        list(args, DlqOptions.EXCLUDE_ERROR_TYPES, filter.getErrorTypes().getExclude());
      }
      if (filter.getTimeRange() != null) {
        single(args, DlqOptions.FROM, filter.getTimeRange().getFrom());
        single(args, DlqOptions.TO, filter.getTimeRange().getTo());
      }
    }
    single(args, DlqOptions.LIMIT, spec.getLimit() == null ? null : String.valueOf(spec.getLimit()));
    args.addAll(List.of(DlqOptions.MAX_REPLAYS.flag(), String.valueOf(spec.getMaxReplays())));
    single(args, DlqOptions.TARGET_TOPIC, spec.getTarget() == null ? null : spec.getTarget().getTopic());
    return args;
  }

  /**
   * Exit code 2, {@link ExitCodes#BAD_CONFIGURATION} (bad flags, a missing topic, a snapshot beyond the log, another selection under this replay's name)
   * fails the Job at once instead of after every retry; an eviction or a node drain does not count as a failure.
   */
  private static Job failFastOnConfigurationErrors(Job job, String container) {
    return new JobBuilder(job).editSpec().withNewPodFailurePolicy()
        .addNewRule().withAction("FailJob").withNewOnExitCodes().withContainerName(container).withOperator("In")
        .withValues(ExitCodes.BAD_CONFIGURATION).endOnExitCodes().endRule()
        .addNewRule().withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget").withStatus("True")
        .endOnPodCondition().endRule()
        .endPodFailurePolicy().endSpec().build();
  }

  private static void single(List<String> args, Option option, String value) {
    if (value != null && !value.isEmpty()) {
      args.add(option.flag());
      args.add(value);
    }
  }

  private static void list(List<String> args, Option option, List<String> values) {
    if (values != null && !values.isEmpty()) {
      args.add(option.flag());
      args.add(String.join(",", values));
    }
  }
}
