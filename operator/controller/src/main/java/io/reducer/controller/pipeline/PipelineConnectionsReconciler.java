package io.reducer.controller.pipeline;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.controller.connections.DatabasePool;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.CreatedTopics;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.TopicObservation;
import io.reducer.controller.postgres.CanonicalStoreSchema;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.postgres.SqlIdentifiers;
import io.reducer.controller.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reconciles a ReducerPipeline's connections, topics and canonical store schema. Observe: resolve the Kafka and
 * PostgreSQL settings and their Secrets, ask the cluster for its id, the database for its version, and describe the
 * three topics. Decide: {@link TopicPlanner}, {@link SchemaPlanner}, {@link PipelineConnectionsPlanner}. Act: one
 * batched Admin call per kind of topic change, the schema's migrations, status and Events.
 *
 * <p>Each part is reported on its own ({@code KafkaReachable}, {@code DatabaseReachable}, {@code TopicsReady},
 * {@code SchemaReady}), so a refused topic or a missing grant stops nothing else. Everything is re-checked on the probe
 * schedule; a problem only the user can fix (a Secret, a refused topic change, a grant) is also {@code Stalled}.
 */
public final class PipelineConnectionsReconciler implements Reconciler<ReducerPipeline> {

  private static final String DEFAULT_SCHEMA = "public";

  private final PipelineClients clients;
  private final SecretSource secrets;
  private final EventRecorder events;
  private final Duration probeInterval;
  private final Clock clock;

  public PipelineConnectionsReconciler(PipelineClients clients, SecretSource secrets, EventRecorder events,
      Duration probeInterval, Clock clock) {
    this.clients = clients;
    this.secrets = secrets;
    this.events = events;
    this.probeInterval = probeInterval;
    this.clock = clock;
  }

  @Override
  public UpdateControl<ReducerPipeline> reconcile(ReducerPipeline pipeline, Context<ReducerPipeline> context) {
    Instant now = clock.instant();
    String key = pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
    List<DeclaredTopic> declared = DeclaredTopic.of(pipeline.getSpec().getTopics());

    Reached<KafkaAdminGateway> kafka = connectKafka(pipeline, key);
    List<TopicOutcome> topics = kafka.client() == null
        ? TopicPlanner.unknown(declared, kafka.check().reason(), "not checked: Kafka cannot be asked ("
            + kafka.check().reason() + "); see condition KafkaReachable")
        : reconcileTopics(declared, kafka.client());
    Reached<DatabasePool> database = connectDatabase(pipeline, key);
    SchemaPlanner.Outcome schema = database.client() == null
        ? SchemaPlanner.unknown(database.check().reason(), "not checked: PostgreSQL cannot be asked ("
            + database.check().reason() + "); see condition DatabaseReachable")
        : reconcileSchema(pipeline, database.client(), database.login());

    ReducerPipelineStatus previous = pipeline.getStatus() == null ? new ReducerPipelineStatus() : pipeline.getStatus();
    long generation = pipeline.getMetadata().getGeneration() == null ? 0 : pipeline.getMetadata().getGeneration();
    ReducerPipelineStatus status = StatusWriter.copy(previous, ReducerPipelineStatus.class);
    List<PlannedEvent> planned = new ArrayList<>(PipelineConnectionsPlanner.plan(status, generation, kafka.check(),
        database.check(), List.of(TopicPlanner.check(topics), SchemaPlanner.check(schema)), now));
    planned.addAll(TopicPlanner.report(status, topics, generation, now));
    planned.addAll(SchemaPlanner.report(status, schema, generation, now));
    planned.forEach(event -> events.record(pipeline, event));
    StatusWriter.write(pipeline, status, context);
    return UpdateControl.<ReducerPipeline>noUpdate().rescheduleAfter(probeInterval.multipliedBy(3));
  }

  /** Describes the topics, then creates, raises and sets in at most one Admin call each. */
  private static List<TopicOutcome> reconcileTopics(List<DeclaredTopic> declared, KafkaAdminGateway kafka) {
    TopicObservation observed;
    try {
      observed = kafka.describeTopicsWithConfigs(declared.stream().map(DeclaredTopic::name).toList());
    } catch (KafkaFailure e) {
      return TopicPlanner.unknown(declared, e.reason().name(), e.getMessage());
    }
    TopicPlan plan = TopicPlanner.plan(declared, observed);
    TopicActions actions = new TopicActions(
        plan.creations().isEmpty() ? new CreatedTopics(Map.of(), Map.of()) : kafka.createTopics(plan.creations()),
        plan.raises().isEmpty() ? Map.of() : kafka.createPartitions(plan.raises()),
        plan.configSets().isEmpty() ? Map.of() : kafka.setConfigs(plan.configSets()));
    return TopicPlanner.outcomes(plan, actions);
  }

  private static SchemaPlanner.Outcome reconcileSchema(ReducerPipeline pipeline, DatabasePool pool,
      DatabaseLogin login) {
    PostgresConnection postgres = pipeline.getSpec().getPostgres();
    String schema = postgres.getSchema() == null ? DEFAULT_SCHEMA : postgres.getSchema();
    if (!SqlIdentifiers.valid(schema)) {
      // Behind the CRD's pattern: an outdated CRD lets such a name through, and it must never reach SQL.
      return SchemaPlanner.failed(new DatabaseFailure(DatabaseFailure.Reason.DatabaseError,
          "spec.postgres.schema '" + schema + "' is not a valid schema name (" + SqlIdentifiers.RULE + ")", null));
    }
    try {
      return SchemaPlanner.of(new CanonicalStoreSchema(schema, postgres.getDatabase(), login.user()).ensure(pool));
    } catch (DatabaseFailure e) {
      return SchemaPlanner.failed(e);
    }
  }

  private Reached<KafkaAdminGateway> connectKafka(ReducerPipeline pipeline, String key) {
    try {
      KafkaAdminGateway gateway = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets));
      String cluster = gateway.clusterId();
      return new Reached<>(ConnectionCheck.ok("Connected", "Cluster " + cluster + " at "
          + pipeline.getSpec().getKafka().getBootstrapServers() + " answered"), gateway, null);
    } catch (ResolutionFailure e) {
      return new Reached<>(ConnectionCheck.failed(e.reason().name(), e.getMessage(), true), null, null);
    } catch (KafkaFailure e) {
      return new Reached<>(ConnectionCheck.failed(e.reason().name(), e.getMessage(),
          e.reason() != KafkaFailure.Reason.KafkaUnreachable && e.reason() != KafkaFailure.Reason.KafkaError), null,
          null);
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
      return new Reached<>(ConnectionCheck.failed(e.reason().name(), e.getMessage(), true), null, null);
    } catch (DatabaseFailure e) {
      return new Reached<>(ConnectionCheck.failed(e.reason().name(), e.getMessage(),
          e.reason() == DatabaseFailure.Reason.DatabaseAuthenticationFailed), null, null);
    }
  }

  /** A connection check and, when it succeeded, the client to go on with (and the login it used). */
  private record Reached<T>(ConnectionCheck check, T client, DatabaseLogin login) {
  }
}
