package io.reducer.controller.reset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.api.v1alpha1.reset.ShadowProgress;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.informers.LeanStores;
import io.reducer.controller.kafka.ConsumerGroupState;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.metrics.PhaseGauges;
import io.reducer.controller.oneshot.Approvals;
import io.reducer.controller.oneshot.Retention;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.postgres.DatabaseLogin;
import io.reducer.controller.postgres.ProjectionDatabase;
import io.reducer.controller.status.ReconcileErrors;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.ImagePolicy;
import io.reducer.controller.workload.JobLauncher;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.controller.workload.MaterializerDeployment;
import io.reducer.controller.workload.OwnedJobs;
import io.reducer.controller.workload.ReducerDeployment;
import io.reducer.controller.workload.WorkloadApplier;
import io.reducer.controller.workload.WorkloadJob;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a WatermarkReset through its phases: observe what the current phase needs, let
 * {@link WatermarkResetDecider} decide, act (hold or release the target, start the Job or move the reducers'
 * offsets), record status. Phases that need no waiting follow each other within one reconciliation. Everything it
 * needs after a restart is in status, in the target's hold annotation, in the Job, whose name is derived from the
 * reset's, and for the reducers in the group's committed offsets, which are read back before moving them.
 *
 * <p>The target is a Projection (spec.projectionRef) or a ReducerPipeline whose reducers are reset
 * (spec.pipelineRef); see {@link ResetSubject}.
 */
public final class WatermarkResetReconciler implements Reconciler<WatermarkReset>, Cleaner<WatermarkReset> {

  private static final Logger LOG = LoggerFactory.getLogger(WatermarkResetReconciler.class);
  private static final String TARGET_INDEX = "target";
  /** Steps per reconciliation; the longest run without waiting is Pending to Resetting. */
  private static final int MAX_STEPS = 8;

  private final PipelineClients clients;
  private final SecretSource secrets;
  private final ImagePolicy images;
  private final EventRecorder events;
  private final ResetHold<Projection> projectionHolds;
  private final ResetHold<ReducerPipeline> pipelineHolds;
  private final ResetPlanning planning;
  private final int historyLimit;
  private final Clock clock;
  private final PhaseGauges<WatermarkResetPhase> phases;
  private volatile InformerEventSource<Projection, WatermarkReset> projections;
  private volatile InformerEventSource<ReducerPipeline, WatermarkReset> pipelines;

  public WatermarkResetReconciler(PipelineClients clients, SecretSource secrets, ImagePolicy images,
      EventRecorder events, ResetHold<Projection> projectionHolds, ResetHold<ReducerPipeline> pipelineHolds,
      int historyLimit, PhaseGauges<WatermarkResetPhase> phases, Clock clock) {
    this.clients = clients;
    this.secrets = secrets;
    this.images = images;
    this.events = events;
    this.projectionHolds = projectionHolds;
    this.pipelineHolds = pipelineHolds;
    this.planning = new ResetPlanning(clock);
    this.historyLimit = historyLimit;
    this.phases = phases;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, WatermarkReset>> prepareEventSources(EventSourceContext<WatermarkReset> context) {
    context.getPrimaryCache().addIndexer(TARGET_INDEX, r -> List.of(ResetSubject.key(r)));
    phases.readFrom((namespace, name) -> context.getPrimaryCache().get(new ResourceID(name, namespace))
        .map(r -> r.getStatus() == null ? null : r.getStatus().getPhase()).orElse(null));
    projections = new InformerEventSource<>(InformerEventSourceConfiguration.from(Projection.class,
        WatermarkReset.class)
        .withItemStore(LeanStores.leanProjections())
        .withSecondaryToPrimaryMapper(p -> resetsOf(context, ResetSubject.PROJECTION, p))
        .withPrimaryToSecondaryMapper((WatermarkReset r) -> target(r, ResetSubject.PROJECTION))
        .build(), context);
    pipelines = new InformerEventSource<>(InformerEventSourceConfiguration.from(ReducerPipeline.class,
        WatermarkReset.class)
        .withSecondaryToPrimaryMapper(p -> resetsOf(context, ResetSubject.REDUCERS, p))
        .withPrimaryToSecondaryMapper((WatermarkReset r) -> target(r, ResetSubject.REDUCERS))
        .build(), context);
    var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, WatermarkReset.class)
        .withItemStore(LeanStores.withoutManagedFields())
        .withLabelSelector("app.kubernetes.io/component=" + ResetJob.COMPONENT
            + ",app.kubernetes.io/managed-by=" + WorkloadJob.MANAGED_BY).build(), context);
    return List.of(projections, pipelines, jobs);
  }

  private static Set<ResourceID> resetsOf(EventSourceContext<WatermarkReset> context, ResetSubject subject,
      HasMetadata target) {
    return context.getPrimaryCache().byIndex(TARGET_INDEX, ResetSubject.key(subject.kind(),
        target.getMetadata().getNamespace(), target.getMetadata().getName()))
        .stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private static Set<ResourceID> target(WatermarkReset reset, ResetSubject subject) {
    LocalReference reference = subject.reference(reset.getSpec());
    return reference == null ? Set.of() : Set.of(new ResourceID(reference.getName(),
        reset.getMetadata().getNamespace()));
  }

  /** A failed reconciliation shows in status (see {@link ReconcileErrors}); the framework retries it. */
  @Override
  public ErrorStatusUpdateControl<WatermarkReset> updateErrorStatus(WatermarkReset reset,
      Context<WatermarkReset> context, Exception error) {
    return ReconcileErrors.report(reset, context, error, WatermarkResetStatus.class, WatermarkResetStatus::new,
        clock.instant());
  }

  @Override
  public UpdateControl<WatermarkReset> reconcile(WatermarkReset reset, Context<WatermarkReset> context) {
    phases.track(reset.getMetadata().getNamespace(), reset.getMetadata().getName());
    phases.retain(context.getPrimaryCache().list()
        .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()).collect(Collectors.toSet()));
    WatermarkReset current = reset;
    Acted acted = Acted.NOTHING;
    for (int i = 0; i < MAX_STEPS; i++) {
      WatermarkResetPhase before = current.getStatus() == null ? null : current.getStatus().getPhase();
      HasMetadata target = target(current);
      ResetObservation seen = observe(current, target, acted.holder(), context);
      if (acted.moveFailure() != null) {
        seen.moveFailed(acted.moveFailure().reason().name(), acted.moveFailure().getMessage());
      }
      Decision<WatermarkResetStatus, ResetEffect> decision = WatermarkResetDecider.decide(current, seen,
          clock.instant());
      acted = act(current, target, decision, context);
      for (PlannedEvent event : decision.events()) {
        events.record(current, event);
      }
      current = StatusWriter.writeAndGet(current, decision.status(), context);
      WatermarkResetPhase after = decision.status().getPhase();
      if (after.isTerminal() && before != after) {
        pruneHistory(current, target, context);
      }
      if (!decision.next().immediately()) {
        return decision.next().updateControl();
      }
    }
    return UpdateControl.<WatermarkReset>noUpdate().rescheduleAfter(WatermarkResetDecider.POLL);
  }

  /**
   * A Shadow rebuild deleted before it completed discards its shadow ({@link WatermarkResetDecider#cleanup}); a
   * repair deleted while Repairing stops its Job; any other reset goes at once (a hold it leaves is released by the
   * projection's reconciler).
   */
  @Override
  public DeleteControl cleanup(WatermarkReset reset, Context<WatermarkReset> context) {
    if (WatermarkResetDecider.cleanup(reset, new ResetObservation()) == WatermarkResetDecider.Cleanup.STOP_REPAIR) {
      // Its pod is stopped with the Job; the page it was writing rolls back, the pages before it stay.
      new JobLauncher(context.getClient()).deleteOwned(reset, RepairJob.name(reset));
      projectionHolds.release(reset.getMetadata().getNamespace(), ResetSubject.targetName(reset),
          reset.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    if (!ShadowRebuilds.applies(reset) || reset.getStatus() == null || reset.getStatus().getShadow() == null) {
      return DeleteControl.defaultDelete();
    }
    ResetObservation seen = new ResetObservation()
        .cutoverJob(ownedJob(reset, ShadowJob.name(reset, ShadowJob.CUTOVER), context))
        .shadowJob(ownedJob(reset, ShadowJob.name(reset, ShadowJob.DISCARD), context));
    Deployment deployment = shadowDeployment(reset, context);
    seen.shadowReplicas(deployment == null ? null : deployment.getSpec().getReplicas());
    Projection projection = target(reset) instanceof Projection p ? p : null;
    ReducerPipeline pipeline = null;
    try {
      pipeline = projection == null ? null : pipeline(projection, context);
      if (pipeline != null) {
        seen.shadowGroup(clients.kafka(pipelineKey(pipeline), ConnectionResolver.kafka(pipeline, secrets))
            .consumerGroup(reset.getStatus().getShadow().getConsumerGroup()));
      }
    } catch (ResolutionFailure | KafkaFailure e) {
      LOG.info("discarding the shadow of WatermarkReset {}: {}", reset.getMetadata().getName(), e.getMessage());
    }
    String namespace = reset.getMetadata().getNamespace();
    WatermarkResetDecider.Cleanup decision = WatermarkResetDecider.cleanup(reset, seen);
    if (pipeline == null && decision != WatermarkResetDecider.Cleanup.DONE) {
      // Without the projection or its pipeline there is no database to discard in: nothing can be done.
      decision = WatermarkResetDecider.Cleanup.DISCARDED;
    }
    switch (decision) {
      case DONE:
        return DeleteControl.defaultDelete();
      case WAIT_FOR_CUTOVER:
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(WatermarkResetDecider.POLL);
      case STOP_MATERIALIZERS:
        if (deployment != null) {
          context.getClient().apps().deployments().inNamespace(namespace)
              .withName(deployment.getMetadata().getName()).delete();
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(WatermarkResetDecider.POLL);
      case DISCARD:
        new JobLauncher(context.getClient()).launch(ShadowJob.build(reset, projection, pipeline, ShadowJob.DISCARD,
            images.workloadsImage()));
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(WatermarkResetDecider.POLL);
      default:
        if (pipeline != null) {
          deleteShadowGroup(pipeline, reset.getStatus().getShadow().getConsumerGroup());
        }
        if (decision == WatermarkResetDecider.Cleanup.FINISH && deployment != null) {
          context.getClient().apps().deployments().inNamespace(namespace)
              .withName(deployment.getMetadata().getName()).delete();
        }
        projectionHolds.release(namespace, ResetSubject.targetName(reset), reset.getMetadata().getName());
        return DeleteControl.defaultDelete();
    }
  }

  /**
   * What acting found out, for the next look.
   *
   * @param moveFailure why moving the reducers' offsets failed; null otherwise
   * @param holder who holds the target after this reset tried to take the hold; null when it did not try or could
   *     not tell
   */
  private record Acted(KafkaFailure moveFailure, String holder) {

    static final Acted NOTHING = new Acted(null, null);
  }

  /** @param taken who holds the target according to the hold just attempted; null to go by the cached target */
  private ResetObservation observe(WatermarkReset reset, HasMetadata target, String taken,
      Context<WatermarkReset> context) {
    ResetObservation seen = new ResetObservation().approved(Approvals.approved(reset))
        .cutoverApproved(ShadowRebuilds.cutoverApproved(reset));
    WatermarkResetPhase phase = reset.getStatus() == null ? null : reset.getStatus().getPhase();
    ResetSubject subject = ResetSubject.of(reset);
    try {
      ConnectionResolver.checkReference(subject.reference(reset.getSpec()), reset.getMetadata().getNamespace(),
          subject.field());
    } catch (ResolutionFailure e) {
      return seen.blocked(e.reason().name(), e.getMessage()).targetMissing().released(true);
    }
    if (target == null) {
      return seen.targetMissing().released(true);
    }
    String name = reset.getMetadata().getName();
    String activeReset;
    if (target instanceof Projection projection) {
      seen.table(projection.getSpec().getTable());
      seen.replicas(projection.getStatus() == null ? null : projection.getStatus().getReplicas());
      seen.staleRows(projection.getStatus() == null ? null : projection.getStatus().getStaleRows());
      activeReset = projection.getStatus() == null ? null : projection.getStatus().getActiveReset();
      seen.completed(projection.getStatus() == null ? null : projection.getStatus().getCompletedResets());
    } else {
      activeReset = ((ReducerPipeline) target).getStatus() == null ? null
          : ((ReducerPipeline) target).getStatus().getActiveReset();
      seen.completed(((ReducerPipeline) target).getStatus() == null ? null
          : ((ReducerPipeline) target).getStatus().getCompletedResets());
      // The pipeline's reconciler names the reset in status once it holds the reducers at zero.
      seen.holdApplied(name.equals(activeReset));
    }
    seen.released(!name.equals(ResetHold.holder(target)) && !name.equals(activeReset));
    if (phase == null || phase.isTerminal()) {
      return seen;
    }
    switch (phase) {
      case Pending:
        return observePending(reset, target, taken, seen, context);
      case Quiescing:
        return observeGroup(reset, target, seen, context);
      case Resetting:
        return target instanceof ReducerPipeline pipeline ? observeOffsets(reset, pipeline, seen)
            : observeJob(reset, (Projection) target, seen, context);
      case Repairing:
        return observeOwnedJob(reset, seen, context);
      case Filling:
      case AwaitingCutoverApproval:
      case CuttingOver:
        return observeShadow(reset, (Projection) target, phase, seen, context);
      default:
        return seen;
    }
  }

  private ResetObservation observePending(WatermarkReset reset, HasMetadata target, String taken,
      ResetObservation seen, Context<WatermarkReset> context) {
    try {
      ReducerPipeline pipeline = pipeline(target, context);
      ConnectionResolver.kafka(pipeline, secrets);
      if (target instanceof Projection) {
        ConnectionResolver.postgres(pipeline, secrets);
      } else {
        Deployment reducers = context.getClient().apps().deployments().inNamespace(pipeline.getMetadata()
            .getNamespace()).withName(ReducerDeployment.name(pipeline)).get();
        seen.replicas(reducers == null ? null : reducers.getSpec().getReplicas());
      }
    } catch (ResolutionFailure e) {
      return seen.blocked(e.reason().name(), e.getMessage());
    }
    String holder = taken != null ? taken : ResetHold.holder(target);
    if (reset.getMetadata().getName().equals(holder)) {
      seen.holding(true);
    } else if (holder != null && live(holder, target, context)) {
      seen.heldBy(holder);
    }
    return seen;
  }

  /**
   * Shadow rebuild: the phase's Job (create while Filling, cutover while CuttingOver), the live and shadow watermark
   * rows, and while cutting over the live and shadow consumer groups and the shadow Deployment.
   */
  private ResetObservation observeShadow(WatermarkReset reset, Projection projection, WatermarkResetPhase phase,
      ResetObservation seen, Context<WatermarkReset> context) {
    String job = ShadowJob.name(reset, phase == WatermarkResetPhase.CuttingOver ? ShadowJob.CUTOVER : ShadowJob.CREATE);
    if (phase != WatermarkResetPhase.AwaitingCutoverApproval) {
      seen.shadowJob(ownedJob(reset, job, context));
    }
    ShadowProgress shadow = reset.getStatus().getShadow();
    try {
      ReducerPipeline pipeline = pipeline(projection, context);
      String key = pipelineKey(pipeline);
      String live = projection.getMetadata().getName();
      var rows = watermarks(projection, pipeline, List.of(live, shadow.getProjection()));
      seen.shadowWatermarks(rows.getOrDefault(live, Map.of()), rows.getOrDefault(shadow.getProjection(), Map.of()));
      if (phase == WatermarkResetPhase.CuttingOver) {
        DatabaseLogin login = ConnectionResolver.postgres(pipeline, secrets);
        ProjectionDatabase database = new ProjectionDatabase(pipeline.getSpec().getPostgres().getSchema(),
            projection.getMetadata().getNamespace(), login.target());
        seen.shadowTableExists(clients.database(key, login).run("looking for the shadow table",
            c -> database.exists(c, shadow.getTable())));
        KafkaAdminGateway kafka = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets));
        seen.group(withoutGonePods(kafka, MaterializerDeployment.consumerGroup(projection),
            MaterializerDeployment.name(projection), MaterializerDeployment.selector(projection),
            projection.getMetadata().getNamespace(), context));
        seen.shadowGroup(kafka.consumerGroup(shadow.getConsumerGroup()));
        Deployment deployment = shadowDeployment(reset, context);
        seen.shadowReplicas(deployment == null ? null : deployment.getSpec().getReplicas());
      }
    } catch (ResolutionFailure | KafkaFailure | DatabaseFailure e) {
      seen.shadowUnreadable(e.getMessage());
      seen.groupUnknown(e instanceof KafkaFailure k ? k.reason().name() : "ShadowProgressUnknown", e.getMessage());
    }
    return seen;
  }

  /** The watermark rows of these identities in the projection's namespace, by identity and partition. */
  private Map<String, Map<Integer, io.reducer.workloads.materializer.Watermark>> watermarks(Projection projection,
      ReducerPipeline pipeline, List<String> identities) throws ResolutionFailure, DatabaseFailure {
    DatabaseLogin login = ConnectionResolver.postgres(pipeline, secrets);
    ProjectionDatabase database = new ProjectionDatabase(pipeline.getSpec().getPostgres().getSchema(),
        projection.getMetadata().getNamespace(), login.target());
    return clients.database(pipelineKey(pipeline), login).run("reading watermarks",
        c -> database.watermarks(c, identities));
  }

  private static JobOutcome ownedJob(WatermarkReset reset, String name, Context<WatermarkReset> context) {
    Job job = OwnedJobs.find(reset, name, context.getSecondaryResources(Job.class),
        () -> context.getClient().batch().v1().jobs().inNamespace(reset.getMetadata().getNamespace()).withName(name)
            .get()).owned();
    return job == null ? null : new JobLauncher(context.getClient()).outcome(job);
  }

  private static Deployment shadowDeployment(WatermarkReset reset, Context<WatermarkReset> context) {
    return context.getClient().apps().deployments().inNamespace(reset.getMetadata().getNamespace())
        .withName(ShadowRebuilds.deploymentName(reset)).get();
  }

  private ResetObservation observeGroup(WatermarkReset reset, HasMetadata target, ResetObservation seen,
      Context<WatermarkReset> context) {
    try {
      ReducerPipeline pipeline = pipeline(target, context);
      String key = pipelineKey(pipeline);
      KafkaAdminGateway kafka = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets));
      if (target instanceof Projection projection) {
        String group = MaterializerDeployment.consumerGroup(projection);
        seen.group(withoutGonePods(kafka, group, MaterializerDeployment.name(projection),
            MaterializerDeployment.selector(projection), projection.getMetadata().getNamespace(), context));
        if (seen.group().quiet()) {
          DatabaseLogin login = ConnectionResolver.postgres(pipeline, secrets);
          seen.plan(planning.plan(reset.getSpec(), MaterializerDeployment.sourceTopic(projection, pipeline), group,
              projection.getMetadata().getName(), kafka, clients.database(key, login),
              new ProjectionDatabase(pipeline.getSpec().getPostgres().getSchema(),
                  projection.getMetadata().getNamespace(), login.target())));
        }
      } else {
        String group = ReducerDeployment.consumerGroup(pipeline);
        seen.group(withoutGonePods(kafka, group, ReducerDeployment.name(pipeline), ReducerDeployment.selector(pipeline),
            pipeline.getMetadata().getNamespace(), context));
        if (seen.group().quiet()) {
          seen.plan(planning.planReducers(reset.getSpec(), pipeline.getSpec().getTopics().getActions().getName(),
              group, kafka));
        }
      }
    } catch (ResolutionFailure e) {
      seen.groupUnknown(e.reason().name(), e.getMessage());
    } catch (KafkaFailure e) {
      seen.groupUnknown(e.reason().name(), e.getMessage());
    }
    return seen;
  }

  /**
   * The group, after removing the static members of the workload's pods that are gone ({@link StaticMembers}): a
   * pod killed with -9 and then deleted keeps its member until the session times out. The pods are listed after the
   * group is described, so the pod of every member seen is in the list unless it was deleted.
   */
  private static ConsumerGroupState withoutGonePods(KafkaAdminGateway kafka, String group, String deployment,
      Map<String, String> selector, String namespace, Context<WatermarkReset> context) throws KafkaFailure {
    ConsumerGroupState state = kafka.consumerGroup(group);
    if (state.staticMembers().isEmpty()) {
      return state;
    }
    List<String> pods = context.getClient().pods().inNamespace(namespace).withLabels(selector).list().getItems()
        .stream().map(pod -> pod.getMetadata().getName()).toList();
    List<String> gone = StaticMembers.ofGonePods(state, deployment, pods);
    if (gone.isEmpty()) {
      return state;
    }
    LOG.info("removing static members {} of pods that no longer exist from consumer group {}", gone, group);
    kafka.removeStaticMembers(group, gone);
    return kafka.consumerGroup(group);
  }

  /** Reducers in Resetting: whether the group is still empty, and where its offsets are. */
  private ResetObservation observeOffsets(WatermarkReset reset, ReducerPipeline pipeline, ResetObservation seen) {
    try {
      KafkaAdminGateway kafka = clients.kafka(pipelineKey(pipeline), ConnectionResolver.kafka(pipeline, secrets));
      String group = reset.getStatus().getPlan().getConsumerGroup();
      seen.group(kafka.consumerGroup(group));
      seen.committed(kafka.committedOffsets(group, reset.getStatus().getPlan().getTopic()));
    } catch (ResolutionFailure e) {
      seen.groupUnknown(e.reason().name(), e.getMessage());
    } catch (KafkaFailure e) {
      seen.groupUnknown(e.reason().name(), e.getMessage());
    }
    return seen;
  }

  private ResetObservation observeJob(WatermarkReset reset, Projection projection, ResetObservation seen,
      Context<WatermarkReset> context) {
    observeOwnedJob(reset, seen, context);
    if (seen.job() != null && seen.job().state() == JobOutcome.State.SUCCEEDED) {
      observeApplied(reset, projection, seen, context);
    }
    return seen;
  }

  /** The Job named in status.jobName: adopted when this reset owns it, reported when another object does. */
  private static ResetObservation observeOwnedJob(WatermarkReset reset, ResetObservation seen,
      Context<WatermarkReset> context) {
    String name = reset.getStatus().getJobName();
    OwnedJobs.Lookup found = OwnedJobs.find(reset, name, context.getSecondaryResources(Job.class),
        () -> context.getClient().batch().v1().jobs().inNamespace(reset.getMetadata().getNamespace()).withName(name)
            .get());
    if (found.foreign() != null) {
      return seen.foreignJob(OwnedJobs.notOwnedMessage(reset, found.foreign()));
    }
    if (found.owned() != null) {
      seen.job(new JobLauncher(context.getClient()).outcome(found.owned()));
    }
    return seen;
  }

  /**
   * After the Job: the projection's watermark rows and its group's committed offsets, where the Job wrote the whole
   * plan. The projection is still held, so nothing else moves them; the decider checks every planned partition.
   */
  private void observeApplied(WatermarkReset reset, Projection projection, ResetObservation seen,
      Context<WatermarkReset> context) {
    try {
      ReducerPipeline pipeline = pipeline(projection, context);
      String key = pipelineKey(pipeline);
      String name = projection.getMetadata().getName();
      var watermarks = watermarks(projection, pipeline, List.of(name)).getOrDefault(name, Map.of());
      var committed = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets))
          .committedOffsets(reset.getStatus().getPlan().getConsumerGroup(), reset.getStatus().getPlan().getTopic());
      seen.applied(watermarks, committed);
    } catch (ResolutionFailure | KafkaFailure | DatabaseFailure e) {
      seen.appliedUnreadable(e.getMessage());
    }
  }

  private Acted act(WatermarkReset reset, HasMetadata target, Decision<WatermarkResetStatus, ResetEffect> decision,
      Context<WatermarkReset> context) {
    ResetEffect effect = decision.effect();
    if (effect == null) {
      return Acted.NOTHING;
    }
    String namespace = reset.getMetadata().getNamespace();
    String name = reset.getMetadata().getName();
    String targetName = ResetSubject.targetName(reset);
    boolean reducers = ResetSubject.of(reset) == ResetSubject.REDUCERS;
    switch (effect) {
      case HOLD:
        return new Acted(null, reducers
            ? pipelineHolds.take(namespace, targetName, name, other -> live(other, target, context))
            : projectionHolds.take(namespace, targetName, name, other -> live(other, target, context)));
      case REMEMBER:
        remember(reset, reducers, context);
        break;
      case RELEASE:
        if (reducers) {
          pipelineHolds.release(namespace, targetName, name);
        } else {
          projectionHolds.release(namespace, targetName, name);
        }
        break;
      case START_JOB:
        try {
          ReducerPipeline pipeline = pipeline(target, context);
          new JobLauncher(context.getClient()).launch(ResetJob.build(reset, (Projection) target, pipeline,
              decision.status().getPlan(), images.workloadsImage()));
        } catch (ResolutionFailure e) {
          // The pipeline vanished after planning; the next look reports the missing Job again and retries.
          events.record(reset, PlannedEvent.warning(EventReason.Waiting, e.getMessage()));
        }
        break;
      case START_REPAIR:
        try {
          new JobLauncher(context.getClient()).launch(RepairJob.build(reset, (Projection) target,
              pipeline(target, context), images.workloadsImage()));
        } catch (ResolutionFailure e) {
          events.record(reset, PlannedEvent.warning(EventReason.Waiting, e.getMessage()));
        }
        break;
      case CREATE_SHADOW:
      case CUTOVER:
      case RUN_SHADOW:
      case STOP_SHADOW:
      case FINISH_SHADOW:
      case DISCARD_SHADOW:
        actOnShadow(reset, (Projection) target, effect, decision.status().getShadow(), context);
        break;
      case MOVE_OFFSETS:
        try {
          ReducerPipeline pipeline = (ReducerPipeline) target;
          KafkaAdminGateway kafka = clients.kafka(pipelineKey(pipeline), ConnectionResolver.kafka(pipeline, secrets));
          ResetPlan plan = decision.status().getPlan();
          kafka.alterCommittedOffsets(plan.getConsumerGroup(), plan.getTopic(), ResetPlans.newOffsets(plan));
        } catch (ResolutionFailure e) {
          return new Acted(new KafkaFailure(KafkaFailure.Reason.KafkaError, e.getMessage(), e), null);
        } catch (KafkaFailure e) {
          return new Acted(e, null);
        }
        break;
      default:
        break;
    }
    return Acted.NOTHING;
  }

  /** The effects of a Shadow rebuild; see {@link ResetEffect}. */
  private void actOnShadow(WatermarkReset reset, Projection projection, ResetEffect effect, ShadowProgress shadow,
      Context<WatermarkReset> context) {
    String namespace = reset.getMetadata().getNamespace();
    Deployment existing = shadowDeployment(reset, context);
    try {
      ReducerPipeline pipeline = projection == null ? null : pipeline(projection, context);
      switch (effect) {
        case CREATE_SHADOW, CUTOVER -> new JobLauncher(context.getClient()).launch(ShadowJob.build(reset, projection,
            pipeline, effect == ResetEffect.CREATE_SHADOW ? ShadowJob.CREATE : ShadowJob.CUTOVER,
            images.workloadsImage()));
        case RUN_SHADOW -> {
          String image = images.resolve(projection.getSpec().getMaterializer().getImage())
              .orElse(images.workloadsImage());
          int replicas = Math.max(1, Objects.requireNonNullElse(
              reset.getStatus() == null ? null : reset.getStatus().getReplicasBeforeQuiesce(), 1));
          new WorkloadApplier(context.getClient()).apply(reset, MaterializerDeployment.buildShadow(projection,
              pipeline, image, replicas, secrets, new MaterializerDeployment.Target(shadow.getDeployment(),
                  ShadowRebuilds.selector(reset), shadow.getTable(), shadow.getProjection(),
                  shadow.getConsumerGroup())), existing);
        }
        case STOP_SHADOW -> {
          if (existing != null) {
            new WorkloadApplier(context.getClient()).scale(existing, 0);
          }
        }
        case FINISH_SHADOW, DISCARD_SHADOW -> {
          if (existing != null) {
            context.getClient().apps().deployments().inNamespace(namespace).withName(existing.getMetadata().getName())
                .delete();
          }
          if (effect == ResetEffect.DISCARD_SHADOW && pipeline != null) {
            new JobLauncher(context.getClient()).launch(ShadowJob.build(reset, projection, pipeline,
                ShadowJob.DISCARD, images.workloadsImage()));
          }
          if (pipeline != null) {
            deleteShadowGroup(pipeline, shadow.getConsumerGroup());
          }
          projectionHolds.release(namespace, ResetSubject.targetName(reset), reset.getMetadata().getName());
        }
        default -> {
        }
      }
    } catch (ResolutionFailure e) {
      events.record(reset, PlannedEvent.warning(EventReason.Waiting, e.getMessage()));
      if (effect == ResetEffect.FINISH_SHADOW || effect == ResetEffect.DISCARD_SHADOW) {
        projectionHolds.release(namespace, ResetSubject.targetName(reset), reset.getMetadata().getName());
      }
    }
  }

  /** Best effort: a group that still has members (materializers stopping) is deleted at a later look. */
  private void deleteShadowGroup(ReducerPipeline pipeline, String group) {
    try {
      clients.kafka(pipelineKey(pipeline), ConnectionResolver.kafka(pipeline, secrets)).deleteConsumerGroup(group);
    } catch (ResolutionFailure | KafkaFailure e) {
      LOG.info("shadow consumer group {} not deleted yet: {}", group, e.getMessage());
    }
  }

  /**
   * Adds the completed reset to its target's status.completedResets, the only field of the target's status this
   * reconciler writes (the target's own reconciler carries it over); a copy created again is then refused.
   */
  private void remember(WatermarkReset reset, boolean reducers, Context<WatermarkReset> context) {
    String namespace = reset.getMetadata().getNamespace();
    String targetName = ResetSubject.targetName(reset);
    Instant now = clock.instant();
    if (reducers) {
      context.getClient().resources(ReducerPipeline.class).inNamespace(namespace).withName(targetName)
          .editStatus(p -> {
            ReducerPipelineStatus status = p.getStatus() == null ? new ReducerPipelineStatus() : p.getStatus();
            status.setCompletedResets(CompletedResets.remember(status.getCompletedResets(), reset, now));
            p.setStatus(status);
            return p;
          });
    } else {
      context.getClient().resources(Projection.class).inNamespace(namespace).withName(targetName)
          .editStatus(p -> {
            ProjectionStatus status = p.getStatus() == null ? new ProjectionStatus() : p.getStatus();
            status.setCompletedResets(CompletedResets.remember(status.getCompletedResets(), reset, now));
            p.setStatus(status);
            return p;
          });
    }
  }

  /** Keeps the newest finished resets of the target up to the limit ({@link Retention}); deletes the rest. */
  private void pruneHistory(WatermarkReset reset, HasMetadata target, Context<WatermarkReset> context) {
    // The cache may not show this reset's final phase yet.
    List<WatermarkReset> group = context.getPrimaryCache().byIndex(TARGET_INDEX, ResetSubject.key(reset)).stream()
        .map(r -> r.getMetadata().getName().equals(reset.getMetadata().getName()) ? reset : r)
        .collect(Collectors.toList());
    if (group.stream().noneMatch(r -> r == reset)) {
      group.add(reset);
    }
    for (String doomed : Retention.beyondLimit(group, WatermarkResetReconciler::finishedAt, historyLimit)) {
      context.getClient().resources(WatermarkReset.class).inNamespace(reset.getMetadata().getNamespace())
          .withName(doomed).delete();
      if (target != null) {
        events.record(target, PlannedEvent.normal(EventReason.HistoryPruned, "deleted finished WatermarkReset "
            + doomed + " to keep the newest " + historyLimit));
      }
    }
  }

  private static Instant finishedAt(WatermarkReset reset) {
    WatermarkResetStatus status = reset.getStatus();
    return status == null || status.getPhase() == null ? null
        : Retention.finishedAt(status.getPhase(), status.getPhase().isTerminal(), status.getHistory());
  }

  private boolean live(String resetName, HasMetadata target, Context<WatermarkReset> context) {
    String namespace = target.getMetadata().getNamespace();
    WatermarkReset other = context.getPrimaryCache().get(new ResourceID(resetName, namespace)).orElseGet(() ->
        context.getClient().resources(WatermarkReset.class).inNamespace(namespace).withName(resetName).get());
    ResetHold<?> holds = target instanceof ReducerPipeline ? pipelineHolds : projectionHolds;
    return holds.live(other, target.getMetadata().getName());
  }

  /** The Projection or ReducerPipeline the reset targets, from the informers' caches; null when there is none. */
  private HasMetadata target(WatermarkReset reset) {
    ResourceID id = new ResourceID(ResetSubject.targetName(reset), reset.getMetadata().getNamespace());
    return ResetSubject.of(reset) == ResetSubject.REDUCERS ? pipelines.get(id).orElse(null)
        : projections.get(id).orElse(null);
  }

  /** The pipeline itself, or the projection's pipeline. */
  private static ReducerPipeline pipeline(HasMetadata target, Context<WatermarkReset> context)
      throws ResolutionFailure {
    if (target instanceof ReducerPipeline pipeline) {
      return pipeline;
    }
    Projection projection = (Projection) target;
    String namespace = projection.getMetadata().getNamespace();
    ConnectionResolver.checkReference(projection.getSpec().getPipelineRef(), namespace, "Projection spec.pipelineRef");
    String name = projection.getSpec().getPipelineRef().getName();
    ReducerPipeline pipeline = context.getClient().resources(ReducerPipeline.class).inNamespace(namespace)
        .withName(name).get();
    if (pipeline == null) {
      throw new ResolutionFailure(ResolutionFailure.Reason.PipelineNotFound, "ReducerPipeline " + namespace + "/"
          + name + " of projection " + projection.getMetadata().getName() + " does not exist");
    }
    return pipeline;
  }

  private static String pipelineKey(ReducerPipeline pipeline) {
    return pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
  }
}
