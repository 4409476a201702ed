package io.reducer.controller.pipeline;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.api.v1alpha1.pipeline.TopicStatus;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.informers.LeanStores;
import io.reducer.controller.kafka.CreatedTopics;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.TopicObservation;
import io.reducer.controller.metrics.PipelineGauges;
import io.reducer.controller.postgres.CanonicalStoreSchema;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.postgres.DatabaseLogin;
import io.reducer.controller.postgres.DatabasePool;
import io.reducer.controller.reset.ResetHold;
import io.reducer.controller.status.ReconcileErrors;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.EmergencyStop;
import io.reducer.controller.workload.ImagePolicy;
import io.reducer.controller.workload.ReducerDeployment;
import io.reducer.controller.workload.WorkloadApplier;
import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.reducer.fsm.StateMachine;
import io.reducer.workloads.reducer.fsm.StateMachineException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a ReducerPipeline: its connections, topics, canonical store schema, reducer Deployment and health.
 * Observe: resolve the Kafka and PostgreSQL settings and their Secrets, ask the cluster for its id and the database
 * for its version, describe the three topics, read the reducer Deployment and the pipeline's Projections from the
 * informers, and probe the health ({@link PipelineHealthProbe}); the topic changes ({@link TopicChanges}, one batched
 * Admin call per kind of change) and the schema's migrations ({@link SchemaReadiness}) are made on the way, so that
 * status reports them. Decide: {@link ReducerPipelineDecider}. Act: the reducer Deployment, Events, status and gauges,
 * and look again as the decision says.
 *
 * <p>Each part is reported on its own ({@code KafkaReachable}, {@code DatabaseReachable}, {@code TopicsReady},
 * {@code SchemaReady}, {@code ReducersReady}, {@code Degraded}), so a refused topic, a missing grant or a broken state
 * machine stops nothing else. Everything is re-checked on the probe schedule; a problem only the user can fix (a
 * Secret, a refused topic change, a grant, the reducer spec) is also {@code Stalled}.
 */
public final class ReducerPipelineReconciler implements Reconciler<ReducerPipeline> {

  private static final String DEFAULT_SCHEMA = "public";

  private final PipelineClients clients;
  private final SecretSource secrets;
  private final ImagePolicy images;
  private final EventRecorder events;
  private final ResetHold<ReducerPipeline> holds;
  private final PipelineGauges gauges;
  private final Duration probeInterval;
  private final Clock clock;
  private volatile InformerEventSource<WatermarkReset, ReducerPipeline> resets;
  private volatile InformerEventSource<Deployment, ReducerPipeline> deployments;

  /** @param holds the holds WatermarkResets of the reducers (spec.pipelineRef) take on pipelines */
  public ReducerPipelineReconciler(PipelineClients clients, SecretSource secrets, ImagePolicy images,
      EventRecorder events, ResetHold<ReducerPipeline> holds, PipelineGauges gauges, Duration probeInterval,
      Clock clock) {
    this.holds = holds;
    this.gauges = gauges;
    this.clients = clients;
    this.secrets = secrets;
    this.images = images;
    this.events = events;
    this.probeInterval = probeInterval;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ReducerPipeline>> prepareEventSources(EventSourceContext<ReducerPipeline> context) {
    deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class,
        ReducerPipeline.class)
        .withItemStore(LeanStores.withoutManagedFields())
        .withLabelSelector("app.kubernetes.io/component=" + ReducerDeployment.COMPONENT
            + ",app.kubernetes.io/managed-by=reducer-operator").build(), context);
    // A projection's health feeds the pipeline's roll-up; only a change of it (or of the pipeline it names) is worth
    // a reconcile, or every projection probe would probe the pipeline again.
    var projections = new InformerEventSource<>(InformerEventSourceConfiguration.from(Projection.class,
        ReducerPipeline.class)
        .withItemStore(LeanStores.leanProjections())
        .withSecondaryToPrimaryMapper(p -> Set.of(new ResourceID(p.getSpec().getPipelineRef().getName(),
            p.getMetadata().getNamespace())))
        .withOnUpdateFilter((updated, old) -> !Objects.equals(health(updated), health(old))
            || !Objects.equals(updated.getSpec().getPipelineRef().getName(), old.getSpec().getPipelineRef().getName()))
        .build(), context);
    // A reset of the reducers that finishes or is deleted must let them run again, whatever state it left behind.
    resets = new InformerEventSource<>(InformerEventSourceConfiguration.from(WatermarkReset.class,
        ReducerPipeline.class)
        .withSecondaryToPrimaryMapper(reset -> reset.getSpec().getPipelineRef() == null ? Set.of()
            : Set.of(new ResourceID(reset.getSpec().getPipelineRef().getName(), reset.getMetadata().getNamespace())))
        .withPrimaryToSecondaryMapper((ReducerPipeline p) -> {
          String holder = ResetHold.holder(p);
          return holder == null ? Set.of() : Set.of(new ResourceID(holder, p.getMetadata().getNamespace()));
        })
        .build(), context);
    return List.of(deployments, projections, resets);
  }

  /** A failed reconciliation shows in status (see {@link ReconcileErrors}); the framework retries it. */
  @Override
  public ErrorStatusUpdateControl<ReducerPipeline> updateErrorStatus(ReducerPipeline pipeline,
      Context<ReducerPipeline> context, Exception error) {
    return ReconcileErrors.report(pipeline, context, error, ReducerPipelineStatus.class, ReducerPipelineStatus::new,
        clock.instant());
  }

  @Override
  public UpdateControl<ReducerPipeline> reconcile(ReducerPipeline pipeline, Context<ReducerPipeline> context) {
    Instant now = clock.instant();
    Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
    ReducerConfiguration configuration = reducerConfiguration(pipeline);
    PipelineObservation observed = observe(pipeline, context, deployment, configuration, now);
    Decision<ReducerPipelineStatus, ReducerChange> decision = ReducerPipelineDecider.decide(pipeline, observed, now);

    WorkloadApplier applier = new WorkloadApplier(context.getClient(),
        WorkloadApplier.Written.into(deployments, deployment));
    ReducerChange change = decision.effect();
    if (change instanceof ReducerChange.ScaleOnly scale) {
      applier.scale(deployment, scale.replicas());
    } else if (change instanceof ReducerChange.Apply apply) {
      applier.apply(pipeline, ReducerDeployment.build(pipeline, configuration.image(), apply.replicas(),
          configuration.stateMachine(), secrets), deployment);
    }
    decision.events().forEach(event -> events.record(pipeline, event));
    StatusWriter.write(pipeline, decision.status(), context);
    gauges.update(pipeline.getMetadata().getNamespace(), pipeline.getMetadata().getName(), decision.status());
    gauges.retain(context.getPrimaryCache().list().map(p -> p.getMetadata().getNamespace() + "/"
        + p.getMetadata().getName()).collect(Collectors.toSet()));
    return decision.next().updateControl();
  }

  /**
   * Connects to Kafka and PostgreSQL, brings the topics and the canonical store's schema to the spec (ensured before
   * status is decided), and gathers the reducers, the health probe and the projections.
   */
  private PipelineObservation observe(ReducerPipeline pipeline, Context<ReducerPipeline> context,
      Deployment deployment, ReducerConfiguration configuration, Instant now) {
    String key = pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
    List<DeclaredTopic> declared = DeclaredTopic.of(pipeline.getSpec().getTopics());
    Reached<KafkaAdminGateway> kafka = connectKafka(pipeline, key);
    List<TopicOutcome> topics = kafka.client() == null
        ? TopicChanges.unknown(declared, kafka.check().reason(), "not checked: Kafka cannot be asked ("
            + kafka.check().reason() + "); see condition KafkaReachable")
        : reconcileTopics(declared, kafka.client());
    Reached<DatabasePool> database = connectDatabase(pipeline, key);
    SchemaReadiness.Outcome schema = database.client() == null
        ? SchemaReadiness.unknown(database.check().reason(), "not checked: PostgreSQL cannot be asked ("
            + database.check().reason() + "); see condition DatabaseReachable")
        : reconcileSchema(pipeline, database.client(), database.login());
    ReducerObservation reducers = new ReducerObservation(EmergencyStop.of(pipeline, pipeline.getSpec().isPaused()),
        configuration.refusalReason(), configuration.refusalMessage(), actionsPartitions(topics),
        deployment == null ? null : deployment.getSpec().getReplicas(), readyReplicas(deployment),
        kafka.check().needsUser() || database.check().needsUser(), liveHolder(pipeline, context));
    return new PipelineObservation(kafka.check(), database.check(), topics, schema, reducers,
        PipelineHealthProbe.observe(pipeline, kafka.client(), database.client(), now),
        ProjectionRollup.of(pipeline, List.copyOf(context.getSecondaryResources(Projection.class))), probeInterval);
  }

  /** The reset holding the reducers, or null; a stale hold is released (see {@link ResetHold#liveHolder}). */
  private String liveHolder(ReducerPipeline pipeline, Context<ReducerPipeline> context) {
    String namespace = pipeline.getMetadata().getNamespace();
    return holds.liveHolder(pipeline, holder -> resets.get(new ResourceID(holder, namespace)).orElseGet(() ->
        context.getClient().resources(WatermarkReset.class).inNamespace(namespace).withName(holder).get()));
  }

  private static HealthLevel health(Projection projection) {
    return projection.getStatus() == null ? null : projection.getStatus().getHealth();
  }

  /** The reducers' image and state machine, or why the spec cannot be acted on. */
  private ReducerConfiguration reducerConfiguration(ReducerPipeline pipeline) {
    String requested = pipeline.getSpec().getReducer().getImage();
    Optional<String> image = images.resolve(requested);
    if (image.isEmpty()) {
      return new ReducerConfiguration(null, null, "ImageNotAllowed", images.refusal(requested, "spec.reducer.image"));
    }
    try {
      return new ReducerConfiguration(image.get(), ReducerScaling.stateMachine(pipeline.getSpec().getReducer())
          .orElse(null), null, null);
    } catch (StateMachineException e) {
      return new ReducerConfiguration(null, null, ReducerScaling.INVALID_STATE_MACHINE, "spec.reducer.stateMachine "
          + "does not hold together: " + e.getMessage() + "; the reducers keep their current state machine until it "
          + "is fixed");
    }
  }

  private static Integer actionsPartitions(List<TopicOutcome> topics) {
    return topics.stream().filter(t -> t.role() == TopicStatus.Role.actions).findFirst()
        .map(TopicOutcome::partitions).orElse(null);
  }

  private static int readyReplicas(Deployment deployment) {
    return deployment == null || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
        ? 0 : deployment.getStatus().getReadyReplicas();
  }

  /** Describes the topics, then creates, raises and sets in at most one Admin call each. */
  private static List<TopicOutcome> reconcileTopics(List<DeclaredTopic> declared, KafkaAdminGateway kafka) {
    TopicObservation observed;
    try {
      observed = kafka.describeTopicsWithConfigs(declared.stream().map(DeclaredTopic::name).toList());
    } catch (KafkaFailure e) {
      return TopicChanges.unknown(declared, e.reason().name(), e.getMessage());
    }
    TopicChangeSet changes = TopicChanges.decide(declared, observed);
    TopicActions actions = new TopicActions(changes.creations().isEmpty() ? new CreatedTopics(Map.of(), Map.of())
        : kafka.createTopics(changes.creations()),
        changes.raises().isEmpty() ? Map.of() : kafka.createPartitions(changes.raises()),
        changes.configSets().isEmpty() ? Map.of() : kafka.setConfigs(changes.configSets()));
    return TopicChanges.outcomes(changes, actions);
  }

  private static SchemaReadiness.Outcome reconcileSchema(ReducerPipeline pipeline, DatabasePool pool,
      DatabaseLogin login) {
    PostgresConnection postgres = pipeline.getSpec().getPostgres();
    String schema = postgres.getSchema() == null ? DEFAULT_SCHEMA : postgres.getSchema();
    if (!Identifiers.isValid(schema)) {
      // Behind the CRD's pattern: an outdated CRD lets such a name through, and it must never reach SQL.
      return SchemaReadiness.failed(new DatabaseFailure(DatabaseFailure.Reason.DatabaseError,
          "spec.postgres.schema '" + schema + "' is not a valid schema name (" + Identifiers.RULE + ")", null));
    }
    try {
      return SchemaReadiness.of(new CanonicalStoreSchema(schema, postgres.getDatabase(), login.user()).ensure(pool));
    } catch (DatabaseFailure e) {
      return SchemaReadiness.failed(e);
    }
  }

  private Reached<KafkaAdminGateway> connectKafka(ReducerPipeline pipeline, String key) {
    try {
      KafkaAdminGateway gateway = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets));
      String cluster = gateway.clusterId();
      return new Reached<>(ConnectionCheck.ok("Connected", "Cluster " + cluster + " at "
          + pipeline.getSpec().getKafka().getBootstrapServers() + " answered"), gateway, null);
    } catch (ResolutionFailure e) {
      return new Reached<>(ConnectionCheck.failed(e.reason(), e.getMessage()), null, null);
    } catch (KafkaFailure e) {
      return new Reached<>(ConnectionCheck.failed(e.reason(), e.getMessage()), null, null);
    }
  }

  private Reached<DatabasePool> connectDatabase(ReducerPipeline pipeline, String key) {
    try {
      DatabaseLogin login = ConnectionResolver.postgres(pipeline, secrets);
      DatabasePool pool = clients.database(key, login);
      String version = pool.run("checking the connection", c -> {
        try (var statement = c.createStatement(); var rows = statement.executeQuery("SHOW server_version")) {
          rows.next();
          return rows.getString(1);
        }
      });
      return new Reached<>(ConnectionCheck.ok("Connected", "PostgreSQL " + version + " at " + login.target()
          + " answered"), pool, login);
    } catch (ResolutionFailure e) {
      return new Reached<>(ConnectionCheck.failed(e.reason(), e.getMessage()), null, null);
    } catch (DatabaseFailure e) {
      return new Reached<>(ConnectionCheck.failed(e.reason(), e.getMessage()), null, null);
    }
  }

  /** What the reducer Deployment is built from, or a refusal (reason and message) when the spec cannot be used. */
  private record ReducerConfiguration(String image, StateMachine stateMachine, String refusalReason,
      String refusalMessage) {
  }

  /** A connection check and, when it succeeded, the client to go on with (and the login it used). */
  private record Reached<T>(ConnectionCheck check, T client, DatabaseLogin login) {
  }
}
