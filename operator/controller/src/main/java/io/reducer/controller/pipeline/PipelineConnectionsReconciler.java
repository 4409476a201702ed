package io.reducer.controller.pipeline;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Checks a ReducerPipeline's connections: resolves the Kafka and PostgreSQL settings and their Secrets, asks the
 * cluster for its id and the database for one row, and reports {@code KafkaReachable}, {@code DatabaseReachable}
 * and {@code Ready}. Unreachable is retried on the probe schedule; a missing Secret or a reference to another
 * namespace is also {@code Stalled}, since only a change by the user fixes it.
 */
public final class PipelineConnectionsReconciler implements Reconciler<ReducerPipeline> {

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
    ConnectionCheck kafka = checkKafka(pipeline, key);
    ConnectionCheck database = checkDatabase(pipeline, key);
    ReducerPipelineStatus previous = pipeline.getStatus() == null ? new ReducerPipelineStatus() : pipeline.getStatus();
    long generation = pipeline.getMetadata().getGeneration() == null ? 0 : pipeline.getMetadata().getGeneration();
    ReducerPipelineStatus status = StatusWriter.copy(previous, ReducerPipelineStatus.class);
    List<PlannedEvent> planned = PipelineConnectionsPlanner.plan(status, generation, kafka, database, now);
    planned.forEach(event -> events.record(pipeline, event));
    StatusWriter.write(pipeline, status, context);
    return UpdateControl.<ReducerPipeline>noUpdate().rescheduleAfter(probeInterval.multipliedBy(3));
  }

  private ConnectionCheck checkKafka(ReducerPipeline pipeline, String key) {
    try {
      String cluster = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets)).clusterId();
      return ConnectionCheck.ok("Connected", "Cluster " + cluster + " at "
          + pipeline.getSpec().getKafka().getBootstrapServers() + " answered");
    } catch (ResolutionFailure e) {
      return ConnectionCheck.failed(e.reason().name(), e.getMessage(), true);
    } catch (KafkaFailure e) {
      return ConnectionCheck.failed(e.reason().name(), e.getMessage(),
          e.reason() != KafkaFailure.Reason.KafkaUnreachable && e.reason() != KafkaFailure.Reason.KafkaError);
    }
  }

  private ConnectionCheck checkDatabase(ReducerPipeline pipeline, String key) {
    try {
      DatabaseLogin login = ConnectionResolver.postgres(pipeline, secrets);
      String version = clients.database(key, login).run("checking the connection", c -> {
        try (var statement = c.createStatement(); var rows = statement.executeQuery("SHOW server_version")) {
          rows.next();
          return rows.getString(1);
        }
      });
      return ConnectionCheck.ok("Connected", "PostgreSQL " + version + " at " + login.target() + " answered");
    } catch (ResolutionFailure e) {
      return ConnectionCheck.failed(e.reason().name(), e.getMessage(), true);
    } catch (DatabaseFailure e) {
      return ConnectionCheck.failed(e.reason().name(), e.getMessage(),
          e.reason() == DatabaseFailure.Reason.DatabaseAuthenticationFailed);
    }
  }
}
