package io.reducer.controller.reset;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.oneshot.Approvals;
import io.reducer.controller.oneshot.PhaseHistory;
import io.reducer.controller.oneshot.Retention;
import io.reducer.controller.pipeline.ConnectionResolver;
import io.reducer.controller.pipeline.DatabaseLogin;
import io.reducer.controller.pipeline.ResolutionFailure;
import io.reducer.controller.pipeline.SecretSource;
import io.reducer.controller.postgres.ProjectionDatabase;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.ImagePolicy;
import io.reducer.controller.workload.JobLauncher;
import io.reducer.controller.workload.MaterializerDeployment;
import io.reducer.controller.workload.WorkloadJob;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a WatermarkReset through its phases: observe what the current phase needs, let
 * {@link WatermarkResetPlanner} decide, act (hold or release the projection, start the Job), record status. Phases
 * that need no waiting follow each other within one reconciliation. Everything it needs after a restart is in
 * status, in the projection's hold annotation and in the Job, whose name is derived from the reset's.
 */
public final class WatermarkResetReconciler implements Reconciler<WatermarkReset> {

  private static final String PROJECTION_INDEX = "projection";
  /** Steps per reconciliation; the longest run without waiting is Pending to Resetting. */
  private static final int MAX_STEPS = 8;

  private final PipelineClients clients;
  private final SecretSource secrets;
  private final ImagePolicy images;
  private final EventRecorder events;
  private final ProjectionHold holds;
  private final ResetPlanning planning;
  private final int historyLimit;
  private final Clock clock;
  private volatile InformerEventSource<Projection, WatermarkReset> projections;

  public WatermarkResetReconciler(PipelineClients clients, SecretSource secrets, ImagePolicy images,
      EventRecorder events, ProjectionHold holds, int historyLimit, Clock clock) {
    this.clients = clients;
    this.secrets = secrets;
    this.images = images;
    this.events = events;
    this.holds = holds;
    this.planning = new ResetPlanning(clock);
    this.historyLimit = historyLimit;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, WatermarkReset>> prepareEventSources(EventSourceContext<WatermarkReset> context) {
    context.getPrimaryCache().addIndexer(PROJECTION_INDEX, r -> List.of(projectionKey(r)));
    projections = new InformerEventSource<>(InformerEventSourceConfiguration.from(Projection.class,
        WatermarkReset.class)
        .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache()
            .byIndex(PROJECTION_INDEX, p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((WatermarkReset r) -> Set.of(new ResourceID(
            r.getSpec().getProjectionRef().getName(), r.getMetadata().getNamespace())))
        .build(), context);
    var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, WatermarkReset.class)
        .withLabelSelector("app.kubernetes.io/component=" + ResetJob.COMPONENT
            + ",app.kubernetes.io/managed-by=" + WorkloadJob.MANAGED_BY).build(), context);
    return List.of(projections, jobs);
  }

  @Override
  public UpdateControl<WatermarkReset> reconcile(WatermarkReset reset, Context<WatermarkReset> context) {
    WatermarkReset current = reset;
    for (int i = 0; i < MAX_STEPS; i++) {
      WatermarkResetPhase before = current.getStatus() == null ? null : current.getStatus().getPhase();
      Projection projection = projection(current, context);
      ResetStep step = WatermarkResetPlanner.step(current, observe(current, projection, context), clock.instant());
      act(current, projection, step, context);
      for (PlannedEvent event : step.events()) {
        events.record(current, event);
      }
      current = StatusWriter.writeAndGet(current, step.status(), context);
      WatermarkResetPhase after = step.status().getPhase();
      if (after.isTerminal() && before != after) {
        pruneHistory(current, projection, context);
      }
      if (!step.again()) {
        return step.requeue() == null ? UpdateControl.noUpdate()
            : UpdateControl.<WatermarkReset>noUpdate().rescheduleAfter(step.requeue());
      }
    }
    return UpdateControl.<WatermarkReset>noUpdate().rescheduleAfter(WatermarkResetPlanner.POLL);
  }

  private ResetObservation observe(WatermarkReset reset, Projection projection, Context<WatermarkReset> context) {
    ResetObservation seen = new ResetObservation().approved(Approvals.approved(reset));
    WatermarkResetPhase phase = reset.getStatus() == null ? null : reset.getStatus().getPhase();
    try {
      ConnectionResolver.checkReference(reset.getSpec().getProjectionRef(), reset.getMetadata().getNamespace(),
          "spec.projectionRef");
    } catch (ResolutionFailure e) {
      return seen.blocked(e.reason().name(), e.getMessage()).projectionMissing().released(true);
    }
    if (projection == null) {
      return seen.projectionMissing().released(true);
    }
    String name = reset.getMetadata().getName();
    seen.projectionReplicas(projection.getStatus() == null ? null : projection.getStatus().getReplicas());
    seen.released(!name.equals(ProjectionHold.holder(projection))
        && (projection.getStatus() == null || !name.equals(projection.getStatus().getActiveReset())));
    if (phase == null || phase.isTerminal()) {
      return seen;
    }
    switch (phase) {
      case Pending:
        return observePending(reset, projection, seen, context);
      case Quiescing:
        return observeGroup(reset, projection, seen, context);
      case Resetting:
        return observeJob(reset, seen, context);
      default:
        return seen;
    }
  }

  private ResetObservation observePending(WatermarkReset reset, Projection projection, ResetObservation seen,
      Context<WatermarkReset> context) {
    try {
      ReducerPipeline pipeline = pipeline(projection, context);
      ConnectionResolver.kafka(pipeline, secrets);
      ConnectionResolver.postgres(pipeline, secrets);
    } catch (ResolutionFailure e) {
      return seen.blocked(e.reason().name(), e.getMessage());
    }
    String holder = ProjectionHold.holder(projection);
    if (holder != null && !holder.equals(reset.getMetadata().getName()) && live(holder, projection, context)) {
      seen.heldBy(holder);
    }
    return seen;
  }

  private ResetObservation observeGroup(WatermarkReset reset, Projection projection, ResetObservation seen,
      Context<WatermarkReset> context) {
    try {
      ReducerPipeline pipeline = pipeline(projection, context);
      String key = pipelineKey(pipeline);
      KafkaAdminGateway kafka = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets));
      String group = MaterializerDeployment.consumerGroup(projection);
      seen.group(kafka.consumerGroup(group));
      if (seen.group().quiet()) {
        DatabaseLogin login = ConnectionResolver.postgres(pipeline, secrets);
        seen.plan(planning.plan(reset.getSpec(), MaterializerDeployment.sourceTopic(projection, pipeline), group,
            projection.getMetadata().getName(), kafka, clients.database(key, login),
            new ProjectionDatabase(pipeline.getSpec().getPostgres().getSchema(), login.target())));
      }
    } catch (ResolutionFailure e) {
      seen.groupUnknown(e.reason().name(), e.getMessage());
    } catch (KafkaFailure e) {
      seen.groupUnknown(e.reason().name(), e.getMessage());
    }
    return seen;
  }

  private ResetObservation observeJob(WatermarkReset reset, ResetObservation seen, Context<WatermarkReset> context) {
    Job job = context.getSecondaryResources(Job.class).stream()
        .filter(j -> j.getMetadata().getName().equals(reset.getStatus().getJobName())).findFirst().orElse(null);
    if (job != null) {
      seen.job(new JobLauncher(context.getClient()).outcome(job));
    }
    return seen;
  }

  private void act(WatermarkReset reset, Projection projection, ResetStep step, Context<WatermarkReset> context) {
    String namespace = reset.getMetadata().getNamespace();
    String name = reset.getMetadata().getName();
    String target = reset.getSpec().getProjectionRef().getName();
    switch (step.action()) {
      case HOLD_PROJECTION:
        holds.take(namespace, target, name, other -> live(other, projection, context));
        break;
      case RELEASE_PROJECTION:
        holds.release(namespace, target, name);
        break;
      case START_JOB:
        try {
          ReducerPipeline pipeline = pipeline(projection, context);
          new JobLauncher(context.getClient()).launch(ResetJob.build(reset, projection, pipeline,
              step.status().getPlan(), images.workloadsImage()));
        } catch (ResolutionFailure e) {
          // The pipeline vanished after planning; the next look reports the missing Job again and retries.
          events.record(reset, PlannedEvent.warning(EventReason.Waiting, e.getMessage()));
        }
        break;
      default:
        break;
    }
  }

  /** Keeps the newest finished resets of the projection up to the limit; deletes the rest. */
  private void pruneHistory(WatermarkReset reset, Projection projection, Context<WatermarkReset> context) {
    List<WatermarkReset> finished = context.getPrimaryCache().byIndex(PROJECTION_INDEX, projectionKey(reset)).stream()
        .filter(r -> r.getStatus() != null && r.getStatus().getPhase() != null && r.getStatus().getPhase().isTerminal())
        .collect(Collectors.toList());
    // The cache may not show this reset's final phase yet.
    if (finished.stream().noneMatch(r -> r.getMetadata().getName().equals(reset.getMetadata().getName()))) {
      finished.add(reset);
    }
    List<Retention.Finished> candidates = finished.stream()
        .map(r -> new Retention.Finished(r.getMetadata().getName(),
            Objects.requireNonNullElse(PhaseHistory.entered(r.getStatus().getHistory(), r.getStatus().getPhase().name()),
                java.time.Instant.EPOCH)))
        .collect(Collectors.toList());
    for (String doomed : Retention.beyondLimit(candidates, historyLimit)) {
      context.getClient().resources(WatermarkReset.class).inNamespace(reset.getMetadata().getNamespace())
          .withName(doomed).delete();
      if (projection != null) {
        events.record(projection, PlannedEvent.normal(EventReason.HistoryPruned, "deleted finished WatermarkReset "
            + doomed + " to keep the newest " + historyLimit));
      }
    }
  }

  private boolean live(String resetName, Projection projection, Context<WatermarkReset> context) {
    String namespace = projection.getMetadata().getNamespace();
    WatermarkReset other = context.getPrimaryCache().get(new ResourceID(resetName, namespace)).orElseGet(() ->
        context.getClient().resources(WatermarkReset.class).inNamespace(namespace).withName(resetName).get());
    return ProjectionHold.live(other, projection.getMetadata().getName());
  }

  private Projection projection(WatermarkReset reset, Context<WatermarkReset> context) {
    return projections.get(new ResourceID(reset.getSpec().getProjectionRef().getName(),
        reset.getMetadata().getNamespace())).orElse(null);
  }

  private static ReducerPipeline pipeline(Projection projection, Context<WatermarkReset> context)
      throws ResolutionFailure {
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

  private static String projectionKey(WatermarkReset reset) {
    return reset.getMetadata().getNamespace() + "/" + reset.getSpec().getProjectionRef().getName();
  }
}
