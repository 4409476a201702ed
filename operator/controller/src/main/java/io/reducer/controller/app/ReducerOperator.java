package io.reducer.controller.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.controller.connections.CachedSecrets;
import io.reducer.controller.connections.KubernetesSecrets;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.dlq.DlqReplayReconciler;
import io.reducer.controller.events.EventRecorder;
import io.reducer.controller.informers.LeanStores;
import io.reducer.controller.metrics.ExternalCallMetrics;
import io.reducer.controller.metrics.PhaseGauges;
import io.reducer.controller.metrics.PipelineGauges;
import io.reducer.controller.metrics.ProjectionGauges;
import io.reducer.controller.metrics.ReconcileMetrics;
import io.reducer.controller.pipeline.ReducerPipelineReconciler;
import io.reducer.controller.projection.ProjectionReconciler;
import io.reducer.controller.reset.ResetHold;
import io.reducer.controller.reset.WatermarkResetReconciler;
import io.reducer.controller.workload.ImagePolicy;
import io.reducer.workloads.metrics.ProcessMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The operator assembled: its reconcilers, the shared Kafka and PostgreSQL clients and the metrics (its own, and the
 * JVM and process meters of {@link ProcessMetrics}), on the operator framework with server-side apply off for status
 * patches and dependent matching.
 */
public final class ReducerOperator implements AutoCloseable {

  /**
   * How long {@link #close} waits for the reconciliations that are running to end. Without it they are interrupted
   * between two API calls (a Job created, its status or Event not written). Well within the 30 s Kubernetes waits
   * by default between SIGTERM and SIGKILL.
   */
  static final Duration RECONCILIATION_GRACE = Duration.ofSeconds(20);

  /**
   * Leader election. A replica that dies without stopping holds the Lease until LEASE_DURATION after its last
   * renewal (15 s, the framework's default); the leader gives up leading when it cannot renew within RENEW_DEADLINE
   * (10 s). A stopping replica releases the Lease ({@link LeaseRelease}), and a candidate tries to take it every
   * RETRY_PERIOD plus up to 120 % jitter: 500 ms (instead of 2 s) puts the hand-over within 0.5 to 1.1 s plus a
   * round trip, well inside the 3 s a rollout may take. The leader renews at the same period: two small writes per
   * second, the price of that hand-over.
   */
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofMillis(500);

  private final Operator operator;
  private final PipelineClients clients;
  private final ExecutorService probeExecutor;
  private final InformerFailures informerFailures = new InformerFailures();
  private final ProcessMetrics processMetrics;
  private final KubernetesClient client;
  private final OperatorConfig config;
  /** This process in the Lease: the pod's name and a random part, so a container restarted in place is another. */
  private final String identity = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank())
      .orElse("reducer-operator") + "-" + UUID.randomUUID().toString().substring(0, 8);

  public ReducerOperator(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Clock clock) {
    this.client = client;
    this.config = config;
    this.processMetrics = ProcessMetrics.bindTo(registry);
    this.clients = new PipelineClients(config.clientTimeout());
    ExternalCallMetrics.bindTo(registry, clients);
    this.probeExecutor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "pipeline-probe");
      thread.setDaemon(true);
      return thread;
    });
    SecretSource secrets = new CachedSecrets(new KubernetesSecrets(client));
    EventRecorder events = new EventRecorder(client, clock);
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withMetrics(new ReconcileMetrics(registry))
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          .withReconciliationTerminationTimeout(RECONCILIATION_GRACE)
          .withCloseClientOnStop(false)
          .withInformerStoppedHandler(informerFailures);
      if (config.leaderElection()) {
        // Losing the Lease is reported like a failed informer rather than by the framework's System.exit, which
        // also runs when close() gives the Lease up and would then block inside the JVM's shutdown hook.
        String lease = config.operatorNamespace() + "/" + config.leaseName();
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
            config.leaseName()).withLeaseNamespace(config.operatorNamespace()).withExitOnStopLeading(false)
            .withIdentity(identity)
            .withLeaseDuration(LEASE_DURATION).withRenewDeadline(RENEW_DEADLINE).withRetryPeriod(RETRY_PERIOD)
            .withLeaderCallbacks(new LeaderCallbacks(() -> { }, () -> informerFailures.leaseLost(lease), leader -> { }))
            .build());
      }
    });
    ImagePolicy images = new ImagePolicy(config.workloadsImage(), config.allowedRegistries());
    ResetHold<ReducerPipeline> pipelineHolds = ResetHold.pipelines(client);
    operator.register(new ReducerPipelineReconciler(clients, secrets, images, events, pipelineHolds,
        new PipelineGauges(registry), config.probeInterval(), clock), ReducerOperator.<ReducerPipeline>namespaces(config).andThen(annotationsTrigger()));
    ResetHold<Projection> holds = ResetHold.projections(client);
    operator.register(new ProjectionReconciler(clients, secrets, images, events, holds, new ProjectionGauges(registry),
        config.probeInterval(), probeExecutor, clock),
        ReducerOperator.<Projection>namespaces(config).andThen(annotationsTrigger()));
    operator.register(new WatermarkResetReconciler(clients, secrets, images, events, holds, pipelineHolds,
        config.finishedHistoryLimit(), PhaseGauges.resets(registry), clock),
        ReducerOperator.<WatermarkReset>namespaces(config).andThen(annotationsTrigger()));
    operator.register(new DlqReplayReconciler(clients, secrets, events, images.workloadsImage(),
        config.finishedHistoryLimit(), PhaseGauges.replays(registry), clock),
        ReducerOperator.<DlqReplay>namespaces(config).andThen(annotationsTrigger()));
  }

  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> Consumer<ControllerConfigurationOverrider<P>>
      namespaces(OperatorConfig config) {
    return o -> {
      o.withItemStore(LeanStores.withoutManagedFields());
      if (config.watchesAllNamespaces()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(config.watchedNamespaces());
      }
    };
  }

  /** Annotations steer a resource too (a reset's hold, an approval), so their changes start a reconciliation. */
  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> Consumer<ControllerConfigurationOverrider<P>>
      annotationsTrigger() {
    return o -> o.withGenerationAware(false).withOnUpdateFilter(ChangeFilters.specOrMetadata());
  }

  public void start() {
    operator.start();
  }

  /** This process's identity in the Lease (holderIdentity while it leads). */
  String leaseIdentity() {
    return identity;
  }

  /** Started and every informer is healthy (what /readyz reports). */
  public boolean ready() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy() && informerFailures.failure().isEmpty();
  }

  /**
   * Why the operator can no longer work, if it cannot: an informer stopped on an error after it had synced, so the
   * operator misses changes of that kind until it is restarted ({@code /healthz} answers 503).
   */
  public Optional<String> fatalFailure() {
    return informerFailures.failure();
  }

  /** Runs {@code action} once with the first fatal failure (at once if one already happened). */
  public void onFatalFailure(Consumer<String> action) {
    informerFailures.onFailure(action);
  }

  @Override
  public void close() {
    informerFailures.stopping();
    operator.stop();
    if (config.leaderElection()) {
      // Every reconciliation has ended: the next replica may take over at once instead of after LEASE_DURATION.
      LeaseRelease.release(client, config.operatorNamespace(), config.leaseName(), identity);
    }
    probeExecutor.shutdownNow();
    clients.close();
    processMetrics.close();
  }
}
