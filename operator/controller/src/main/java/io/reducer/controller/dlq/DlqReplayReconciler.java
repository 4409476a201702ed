package io.reducer.controller.dlq;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.informers.LeanStores;
import io.reducer.controller.kafka.CommittedOffset;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.metrics.PhaseGauges;
import io.reducer.controller.status.ReconcileErrors;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.JobLauncher;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.controller.workload.OwnedJobs;
import io.reducer.workloads.dlq.DlqInspectResult;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reconciles a DlqReplay: observes its pipeline, its Jobs and, while it replays, the checkpoints it commits; lets
 * {@link DlqReplayDecider} decide; then starts or deletes Jobs, writes status, records Events and, once the replay
 * is finished, keeps the history limit. Job, pipeline and projection changes trigger a reconciliation, and a
 * running Job is looked at every two seconds.
 *
 * <p>Deleting a DlqReplay deletes its Jobs through their owner reference; the replay pod then gets SIGTERM and
 * commits its open transaction before it stops. No finalizer is needed: nothing outside Kubernetes is cleaned up
 * (the replay's consumer group expires in Kafka by itself).
 */
public final class DlqReplayReconciler implements Reconciler<DlqReplay> {

  private static final String PIPELINE_INDEX = "dlq-replay-pipeline";
  private static final String PROJECTION_INDEX = "dlq-replay-projection";

  private final PipelineClients clients;
  private final SecretSource secrets;
  private final EventRecorder events;
  private final String workloadsImage;
  private final int finishedHistoryLimit;
  private final Clock clock;
  private final PhaseGauges<DlqReplayPhase> phases;
  private volatile InformerEventSource<ReducerPipeline, DlqReplay> pipelines;
  private volatile InformerEventSource<Projection, DlqReplay> projections;

  /**
   * @param workloadsImage the image of the dlq Jobs (a DlqReplay cannot name another)
   * @param finishedHistoryLimit finished DlqReplays kept per pipeline
   * @param phases the gauges of each replay's phase
   */
  public DlqReplayReconciler(PipelineClients clients, SecretSource secrets, EventRecorder events,
      String workloadsImage, int finishedHistoryLimit, PhaseGauges<DlqReplayPhase> phases, Clock clock) {
    this.clients = clients;
    this.secrets = secrets;
    this.events = events;
    this.workloadsImage = workloadsImage;
    this.finishedHistoryLimit = finishedHistoryLimit;
    this.phases = phases;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, DlqReplay>> prepareEventSources(EventSourceContext<DlqReplay> context) {
    phases.readFrom((namespace, name) -> context.getPrimaryCache().get(new ResourceID(name, namespace))
        .map(r -> r.getStatus() == null ? null : r.getStatus().getPhase()).orElse(null));
    context.getPrimaryCache().addIndexer(PIPELINE_INDEX, r -> r.getSpec().getPipelineRef() == null ? List.of()
        : List.of(key(r.getMetadata().getNamespace(), r.getSpec().getPipelineRef().getName())));
    context.getPrimaryCache().addIndexer(PROJECTION_INDEX, r -> r.getSpec().getProjectionRef() == null ? List.of()
        : List.of(key(r.getMetadata().getNamespace(), r.getSpec().getProjectionRef().getName())));
    // Jobs map to their DlqReplay through the controller owner reference they carry.
    var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, DlqReplay.class)
        .withItemStore(LeanStores.withoutManagedFields())
        .withLabelSelector(DlqJobs.labelSelector()).build(), context);
    projections = new InformerEventSource<>(InformerEventSourceConfiguration.from(Projection.class, DlqReplay.class)
        .withItemStore(LeanStores.leanProjections())
        .withSecondaryToPrimaryMapper(p -> unfinished(context, PROJECTION_INDEX, key(p)))
        .withPrimaryToSecondaryMapper((DlqReplay r) -> r.getSpec().getProjectionRef() == null ? Set.of()
            : Set.of(new ResourceID(r.getSpec().getProjectionRef().getName(), r.getMetadata().getNamespace())))
        .build(), context);
    pipelines = new InformerEventSource<>(InformerEventSourceConfiguration.from(ReducerPipeline.class,
        DlqReplay.class)
        .withSecondaryToPrimaryMapper(pipeline -> waitingFor(context, pipeline))
        .withPrimaryToSecondaryMapper((DlqReplay r) -> r.getSpec().getPipelineRef() == null ? Set.of()
            : Set.of(new ResourceID(r.getSpec().getPipelineRef().getName(), r.getMetadata().getNamespace())))
        .build(), context);
    return List.of(jobs, projections, pipelines);
  }

  /** A failed reconciliation shows in status (see {@link ReconcileErrors}); the framework retries it. */
  @Override
  public ErrorStatusUpdateControl<DlqReplay> updateErrorStatus(DlqReplay replay, Context<DlqReplay> context,
      Exception error) {
    return ReconcileErrors.report(replay, context, error, DlqReplayStatus.class, DlqReplayStatus::new,
        clock.instant());
  }

  @Override
  public UpdateControl<DlqReplay> reconcile(DlqReplay replay, Context<DlqReplay> context) {
    String namespace = replay.getMetadata().getNamespace();
    ReplaySource.Resolution resolution = ReplaySource.withKafkaSecrets(ReplaySource.resolve(replay,
        name -> pipelines.get(new ResourceID(name, namespace)),
        name -> projections.get(new ResourceID(name, namespace))), secrets);
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay,
        observe(replay, resolution, context).withReplaysAhead(replaysAhead(replay, resolution, context)),
        clock.instant());

    JobLauncher launcher = new JobLauncher(context.getClient());
    for (ReplayEffect effect : decision.effects()) {
      switch (effect) {
        case START_INSPECT:
          launcher.launch(DlqJobs.inspect(replay, resolution.source(), workloadsImage));
          break;
        case START_REPLAY:
          launcher.launch(DlqJobs.replay(replay, resolution.source(), decision.status().getSnapshot(),
              workloadsImage));
          break;
        case DELETE_JOBS:
          launcher.deleteOwned(replay, DlqJobs.inspectJobName(replay));
          launcher.deleteOwned(replay, DlqJobs.replayJobName(replay));
          break;
      }
    }
    // Jobs first, status second: a crash in between repeats the same decision, and creating a Job is idempotent.
    DlqReplay written = StatusWriter.writeAndGet(replay, decision.status(), context);
    decision.events().forEach(e -> events.record(replay, e));
    if (DlqReplayDecider.finished(decision.status())) {
      keepHistoryLimit(written, context);
    }
    phases.track(namespace, replay.getMetadata().getName());
    phases.retain(context.getPrimaryCache().list().map(DlqReplayReconciler::key).collect(Collectors.toSet()));
    return decision.next().updateControl();
  }

  private DlqReplayObservation observe(DlqReplay replay, ReplaySource.Resolution resolution,
      Context<DlqReplay> context) {
    DlqReplayPhase phase = replay.getStatus() == null ? null : replay.getStatus().getPhase();
    if (phase != DlqReplayPhase.Previewing && phase != DlqReplayPhase.Replaying) {
      return new DlqReplayObservation(resolution, null, null, null, null);
    }
    String jobName = phase == DlqReplayPhase.Previewing ? DlqJobs.inspectJobName(replay)
        : DlqJobs.replayJobName(replay);
    OwnedJobs.Lookup found = OwnedJobs.find(replay, jobName, context.getSecondaryResources(Job.class),
        // The informer may not have seen a Job created a moment ago; ask before concluding it is gone.
        () -> context.getClient().batch().v1().jobs().inNamespace(replay.getMetadata().getNamespace())
            .withName(jobName).get());
    if (found.foreign() != null) {
      return notOwned(replay, found.foreign());
    }
    JobOutcome job = found.owned() == null ? null : new JobLauncher(context.getClient()).outcome(found.owned());
    if (phase == DlqReplayPhase.Previewing) {
      return inspectPartitions(new DlqReplayObservation(resolution, job, null, null, null), resolution, job);
    }
    Map<Integer, CommittedOffset> committed = null;
    String progressFailure = null;
    if (resolution.source() != null) {
      try {
        ReplaySource source = resolution.source();
        committed = clients.kafka(source.pipelineKey(), ConnectionResolver.kafka(source.pipeline(), secrets))
            .committedOffsetsWithMetadata(ReplayIdentity.consumerGroup(replay), source.dlqTopic());
      } catch (KafkaFailure | ResolutionFailure e) {
        progressFailure = e.getMessage();
      }
    }
    return new DlqReplayObservation(resolution, null, job, committed, progressFailure);
  }

  /**
   * A succeeded preview Job whose result is a summary: the committed offsets of its result group, which carry the
   * snapshot and per-partition counts (read with the client that reads replay checkpoints).
   */
  private DlqReplayObservation inspectPartitions(DlqReplayObservation observed, ReplaySource.Resolution resolution,
      JobOutcome job) {
    DlqInspectResult result = job == null || job.state() != JobOutcome.State.SUCCEEDED ? null
        : ReplayResults.inspect(job.terminationMessage());
    if (result == null || result.resultGroup() == null) {
      return observed;
    }
    if (resolution.source() == null) {
      return observed.withInspectPartitions(null, resolution.refusal() == null ? "the pipeline is not known"
          : resolution.refusal().message());
    }
    try {
      ReplaySource source = resolution.source();
      return observed.withInspectPartitions(clients.kafka(source.pipelineKey(),
          ConnectionResolver.kafka(source.pipeline(), secrets)).committedOffsetsWithMetadata(
              result.resultGroup().group(), result.resultGroup().topic()), null);
    } catch (KafkaFailure | ResolutionFailure e) {
      return observed.withInspectPartitions(null, e.getMessage());
    }
  }

  /**
   * Another resource's Job under this replay's Job name (a DlqReplay deleted and created again under the same name):
   * never adopted. The replay waits, Stalled with reason JobNotOwned, and starts no Job of its own until it is gone.
   */
  static DlqReplayObservation notOwned(DlqReplay replay, Job foreign) {
    return new DlqReplayObservation(new ReplaySource.Resolution(null, new ReplaySource.Refusal(OwnedJobs.NOT_OWNED,
        OwnedJobs.notOwnedMessage(replay, foreign), false)), null, null, null, null);
  }

  /** Other replays of the same DLQ to wait for before replaying ({@link ReplayQueue}); only asked when it matters. */
  private List<String> replaysAhead(DlqReplay replay, ReplaySource.Resolution resolution,
      Context<DlqReplay> context) {
    DlqReplayPhase phase = replay.getStatus() == null ? null : replay.getStatus().getPhase();
    if (resolution.source() == null
        || (phase != DlqReplayPhase.Previewing && phase != DlqReplayPhase.AwaitingApproval)) {
      return List.of();
    }
    String namespace = replay.getMetadata().getNamespace();
    List<DlqReplay> all = context.getPrimaryCache().list(r -> namespace.equals(r.getMetadata().getNamespace()))
        .collect(Collectors.toList());
    return ReplayQueue.ahead(replay, all, r -> dlqOf(r, namespace));
  }

  /** "pipeline/dlq topic" a replay reads; null when its pipeline is unknown. */
  private String dlqOf(DlqReplay replay, String namespace) {
    String pipeline = pipelineName(replay);
    if (replay.getSpec().getDlqTopic() != null) {
      return pipeline + "/" + replay.getSpec().getDlqTopic();
    }
    return pipelines.get(new ResourceID(pipeline, namespace))
        .map(p -> pipeline + "/" + p.getSpec().getTopics().getDlq().getName()).orElse(null);
  }

  /** Deletes the oldest finished replays of this replay's pipeline beyond the limit, with an Event each. */
  private void keepHistoryLimit(DlqReplay finished, Context<DlqReplay> context) {
    String namespace = finished.getMetadata().getNamespace();
    Function<DlqReplay, String> pipelineOf = this::pipelineName;
    String pipeline = pipelineOf.apply(finished);
    List<DlqReplay> replays = context.getPrimaryCache()
        .list(r -> namespace.equals(r.getMetadata().getNamespace()))
        .map(r -> r.getMetadata().getName().equals(finished.getMetadata().getName()) ? finished : r)
        .collect(Collectors.toList());
    List<String> doomed = FinishedReplays.beyondLimit(replays, pipelineOf, pipeline, finishedHistoryLimit);
    if (doomed.isEmpty()) {
      return;
    }
    HasMetadata eventTarget = pipelines.get(new ResourceID(pipeline, namespace)).map(p -> (HasMetadata) p)
        .orElse(finished);
    for (String name : doomed) {
      replays.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
          .ifPresent(r -> events.forget(r.getMetadata().getUid()));
      context.getClient().resources(DlqReplay.class).inNamespace(namespace).withName(name).delete();
      events.record(eventTarget, PlannedEvent.normal(EventReason.HistoryPruned, "Deleted finished DlqReplay " + name
          + ": at most " + finishedHistoryLimit + " finished DlqReplays are kept per pipeline (operator setting "
          + "--finished-history-limit)"));
    }
  }

  /** The pipeline a replay reads from: its pipelineRef, or its projection's; the projection's name if unknown. */
  private String pipelineName(DlqReplay replay) {
    if (replay.getSpec().getPipelineRef() != null) {
      return replay.getSpec().getPipelineRef().getName();
    }
    String projection = replay.getSpec().getProjectionRef().getName();
    return projections.get(new ResourceID(projection, replay.getMetadata().getNamespace()))
        .map(p -> p.getSpec().getPipelineRef().getName()).orElse("Projection/" + projection);
  }

  /** Unfinished replays that read from this pipeline, directly or through one of its projections. */
  private Set<ResourceID> waitingFor(EventSourceContext<DlqReplay> context, ReducerPipeline pipeline) {
    String namespace = pipeline.getMetadata().getNamespace();
    Set<ResourceID> replays = new HashSet<>(unfinished(context, PIPELINE_INDEX, key(pipeline)));
    if (projections != null) {
      projections.list(namespace,
          p -> pipeline.getMetadata().getName().equals(p.getSpec().getPipelineRef().getName()))
          .forEach(p -> replays.addAll(unfinished(context, PROJECTION_INDEX, key(p))));
    }
    return replays;
  }

  // Finished replays have nothing to wait for; a pipeline's status updates need not wake them.
  private static Set<ResourceID> unfinished(EventSourceContext<DlqReplay> context, String index, String key) {
    return context.getPrimaryCache().byIndex(index, key).stream()
        .filter(r -> !DlqReplayDecider.finished(r.getStatus()))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private static String key(HasMetadata resource) {
    return key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
