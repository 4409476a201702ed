package io.reducer.controller.projection;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PollingEventSource;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.informers.LeanStores;
import io.reducer.controller.metrics.ProjectionGauges;
import io.reducer.controller.probe.PipelineProber;
import io.reducer.controller.probe.ProbeCache;
import io.reducer.controller.probe.ProjectionProbe;
import io.reducer.controller.reset.ResetHold;
import io.reducer.controller.reset.ShadowRebuilds;
import io.reducer.controller.status.ReconcileErrors;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.EmergencyStop;
import io.reducer.controller.workload.ImagePolicy;
import io.reducer.controller.workload.MaterializerDeployment;
import io.reducer.controller.workload.WorkloadApplier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reconciles a Projection: observes its pipeline, the latest probe, its Deployment and the Deployment's pods, lets
 * {@link ProjectionDecider} decide, then makes its {@link MaterializerChange} (applies the Deployment or, for a refused
 * spec that must stop, only scales it), records Events and writes status when it changed. Probes run on the
 * operator's probe interval for all projections of a pipeline at once; a probe that finds new figures triggers a
 * reconciliation.
 */
public final class ProjectionReconciler implements Reconciler<Projection> {

  /** Set on a Projection by a WatermarkReset while it holds it quiesced; the value is the reset's name. */
  public static final String HELD_BY_RESET = ResetHold.ANNOTATION;
  private static final String PIPELINE_INDEX = "pipeline";
  /** The labels of every materializer Deployment and pod the operator made. */
  private static final String MATERIALIZER_LABELS = "app.kubernetes.io/component=" + MaterializerDeployment.COMPONENT
      + ",app.kubernetes.io/managed-by=reducer-operator";

  private final PipelineClients clients;
  private final SecretSource secrets;
  private final ImagePolicy images;
  private final EventRecorder events;
  private final ResetHold<Projection> holds;
  private final ProjectionGauges gauges;
  private final Duration probeInterval;
  private final ExecutorService probeExecutor;
  private final Clock clock;
  private volatile InformerEventSource<ReducerPipeline, Projection> pipelines;
  private volatile InformerEventSource<WatermarkReset, Projection> resets;
  private volatile InformerEventSource<Pod, Projection> pods;
  private volatile InformerEventSource<Deployment, Projection> deployments;
  private volatile ProbeCache probes;
  private volatile Supplier<List<Projection>> projections = List::of;

  public ProjectionReconciler(PipelineClients clients, SecretSource secrets, ImagePolicy images, EventRecorder events,
      ResetHold<Projection> holds, ProjectionGauges gauges, Duration probeInterval, ExecutorService probeExecutor,
      Clock clock) {
    this.holds = holds;
    this.clients = clients;
    this.secrets = secrets;
    this.images = images;
    this.events = events;
    this.gauges = gauges;
    this.probeInterval = probeInterval;
    this.probeExecutor = probeExecutor;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Projection>> prepareEventSources(EventSourceContext<Projection> context) {
    context.getPrimaryCache().addIndexer(PIPELINE_INDEX, p -> List.of(pipelineKey(p)));
    deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class,
        Projection.class)
        .withItemStore(LeanStores.withoutManagedFields()).withLabelSelector(MATERIALIZER_LABELS).build(), context);
    // Only the materializers' pods, to say why they do not become ready: a pod's change starts a reconciliation only
    // when the failure it shows changes (readiness reaches the projection through its Deployment's status).
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Projection.class)
        .withItemStore(LeanStores.withoutManagedFields())
        .withLabelSelector(MATERIALIZER_LABELS)
        .withSecondaryToPrimaryMapper(pod -> {
          String owner = pod.getMetadata().getLabels() == null ? null
              : pod.getMetadata().getLabels().get(MaterializerDeployment.PROJECTION_LABEL);
          return owner == null ? Set.of() : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
        })
        .withOnUpdateFilter((updated, old) -> !Objects.equals(MaterializerPods.of(updated), MaterializerPods.of(old)))
        .build(), context);
    pipelines = new InformerEventSource<>(InformerEventSourceConfiguration.from(ReducerPipeline.class,
        Projection.class)
        .withSecondaryToPrimaryMapper(pipeline -> context.getPrimaryCache()
            .byIndex(PIPELINE_INDEX, pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((Projection p) -> Set.of(new ResourceID(
            p.getSpec().getPipelineRef().getName(), p.getMetadata().getNamespace())))
        .build(), context);
    // A reset that finishes or is deleted must let its projection run again, whatever state it left behind.
    resets = new InformerEventSource<>(InformerEventSourceConfiguration.from(WatermarkReset.class, Projection.class)
        .withSecondaryToPrimaryMapper(reset -> reset.getSpec().getProjectionRef() == null ? Set.of()
            : Set.of(new ResourceID(reset.getSpec().getProjectionRef().getName(), reset.getMetadata().getNamespace())))
        .withPrimaryToSecondaryMapper((Projection p) -> {
          String holder = ResetHold.holder(p);
          return holder == null ? Set.of() : Set.of(new ResourceID(holder, p.getMetadata().getNamespace()));
        })
        .build(), context);
    projections = () -> context.getPrimaryCache().list().collect(Collectors.toList());
    probes = new ProbeCache(new PipelineProber(clients, secrets), id -> pipelines.get(id), projections,
        probeExecutor, clock);
    var probeSource = new PollingEventSource<ProjectionProbe, Projection, String>(ProjectionProbe.class,
        new PollingConfigurationBuilder<ProjectionProbe, String>(this::probeRound, probeInterval)
            .withResourceIDMapper(ResourceIDMapper.resourceIdProviderMapper()).withName("probes").build());
    return List.of(deployments, pods, pipelines, resets, probeSource);
  }

  /** A failed reconciliation shows in status (see {@link ReconcileErrors}); the framework retries it. */
  @Override
  public ErrorStatusUpdateControl<Projection> updateErrorStatus(Projection projection, Context<Projection> context,
      Exception error) {
    return ReconcileErrors.report(projection, context, error, ProjectionStatus.class, ProjectionStatus::new,
        clock.instant());
  }

  @Override
  public UpdateControl<Projection> reconcile(Projection projection, Context<Projection> context) {
    Instant now = clock.instant();
    String namespace = projection.getMetadata().getNamespace();
    ProjectionObservation observed = new ProjectionObservation();
    ReducerPipeline pipeline = null;
    String image = null;
    try {
      ConnectionResolver.checkReference(projection.getSpec().getPipelineRef(), namespace, "spec.pipelineRef");
      String name = projection.getSpec().getPipelineRef().getName();
      pipeline = pipelines.get(new ResourceID(name, namespace)).orElse(null);
      if (pipeline == null) {
        observed.refused("PipelineNotFound", "ReducerPipeline " + namespace + "/" + name
            + " does not exist; create it or fix spec.pipelineRef.name");
      }
    } catch (ResolutionFailure e) {
      observed.refused(e.reason().name(), e.getMessage());
    }
    if (pipeline != null) {
      String requested = projection.getSpec().getMaterializer().getImage();
      Optional<String> allowed = images.resolve(requested);
      if (allowed.isEmpty()) {
        observed.refused("ImageNotAllowed", images.refusal(requested, "spec.materializer.image"));
      } else {
        image = allowed.get();
      }
      observed.pipelinePause(EmergencyStop.of(pipeline, pipeline.getSpec().isPaused()));
    }
    observed.heldByReset(liveHolder(projection, context));
    if (pipeline != null) {
      ReducerPipeline owner = pipeline;
      observed.probe(probes.latest(projection).orElseGet(() -> probes.probeNow(projection, owner)));
    }
    Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
    observed.deployment(deployment == null ? null : deployment.getSpec().getReplicas(),
        deployment == null || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
            ? 0 : deployment.getStatus().getReadyReplicas());
    if (deployment != null) {
      observed.materializerFailure(MaterializerPods.condense(deployment, materializerPods(projection)));
    }

    Decision<ProjectionStatus, MaterializerChange> decision = ProjectionDecider.decide(projection, observed, now);

    // What it writes goes to the informer's cache at once: the next reconciliation must not create it again.
    WorkloadApplier applier = new WorkloadApplier(context.getClient(),
        WorkloadApplier.Written.into(deployments, deployment));
    MaterializerChange change = decision.effect();
    // Apply is decided only for a spec that is not refused, so the pipeline and an allowed image are known.
    if (change instanceof MaterializerChange.Apply apply) {
      applier.apply(projection, MaterializerDeployment.build(projection, pipeline, image, apply.replicas(), secrets),
          deployment);
    } else if (change instanceof MaterializerChange.ScaleOnly scale) {
      applier.scale(deployment, scale.replicas());
    }
    decision.events().forEach(e -> events.record(projection, e));
    StatusWriter.write(projection, decision.status(), context);
    gauges.update(namespace, projection.getMetadata().getName(), decision.status());
    return decision.next().updateControl();
  }

  /** The projection's materializer pods, from the informer's cache. */
  private List<Pod> materializerPods(Projection projection) {
    String name = projection.getMetadata().getName();
    return pods.list(projection.getMetadata().getNamespace(), pod -> pod.getMetadata().getLabels() != null
        && name.equals(pod.getMetadata().getLabels().get(MaterializerDeployment.PROJECTION_LABEL))).toList();
  }

  /** The reset holding the projection, or null; a stale hold is released (see {@link ResetHold#liveHolder}). */
  private String liveHolder(Projection projection, Context<Projection> context) {
    String namespace = projection.getMetadata().getNamespace();
    java.util.function.Function<String, WatermarkReset> lookup = holder -> resets.get(new ResourceID(holder,
        namespace)).orElseGet(() -> context.getClient().resources(WatermarkReset.class).inNamespace(namespace)
            .withName(holder).get());
    String holder = holds.liveHolder(projection, lookup);
    // A Shadow rebuild holds the projection (one reset at a time) but lets it run until its cutover; a repair from
    // the canonical store lets it run throughout.
    return holder != null && ShadowRebuilds.quiesces(lookup.apply(holder)) ? holder : null;
  }

  /** One probe round over every pipeline; also drops what belongs to deleted resources. */
  private Map<ResourceID, Set<ProjectionProbe>> probeRound() {
    // The first round runs when this source starts, possibly before the informers it reads from.
    if (probes == null || !pipelines.isRunning()) {
      return Map.of();
    }
    Map<ResourceID, Set<ProjectionProbe>> round = probes.probeAll();
    clients.retain(pipelines.list().map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .collect(Collectors.toSet()));
    // Every existing projection keeps its gauges, probed or not (a refused one shows NaN, not nothing).
    gauges.retain(projections.get().stream().map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .collect(Collectors.toSet()));
    return round;
  }

  private static String pipelineKey(Projection projection) {
    return projection.getMetadata().getNamespace() + "/" + projection.getSpec().getPipelineRef().getName();
  }
}
