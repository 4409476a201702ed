package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.pipeline.ReducerTransactions;
import io.reducer.api.v1alpha1.pipeline.ReducerWorkload;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.pipeline.ReducerScaling;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.reducer.ReducerConfig;
import io.reducer.workloads.reducer.ReducerOptions;
import io.reducer.workloads.reducer.fsm.StateMachine;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator and {@code workloads reduce} agree: every variable the operator puts on a reducer pod is one the
 * command reads, and the command, parsing that environment, runs with what the pipeline asked for.
 */
class ReducerContractTest {

  private static final SecretSource NO_SECRETS = (namespace, name) -> Optional.empty();

  private final ReducerPipeline pipeline = Examples.read("reducerpipeline.yaml", ReducerPipeline.class);

  @Test
  void theCommandRunsWithWhatThePipelineAskedFor() throws Exception {
    ReducerWorkload spec = pipeline.getSpec().getReducer();
    StateMachine machine = ReducerScaling.stateMachine(spec).orElseThrow();
    Container container = ReducerDeployment.build(pipeline, "ghcr.io/reducer/workloads:0.1.0", 1, machine,
        NO_SECRETS).getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = PodEnvironment.of(container);
    Set<String> read = ReducerOptions.all().stream().map(Option::variable).collect(Collectors.toSet());
    read.add("PGPASSWORD");
    read.addAll(KafkaClientSecurity.VARIABLES);

    ReducerConfig config = ReducerConfig.parse(container.getArgs().subList(1, container.getArgs().size()), env);

    assertThat(container.getArgs().get(0)).isEqualTo("reduce");
    assertThat(read).containsAll(env.keySet());
    assertThat(config.bootstrapServers()).isEqualTo(pipeline.getSpec().getKafka().getBootstrapServers());
    assertThat(config.actionsTopic()).isEqualTo(pipeline.getSpec().getTopics().getActions().getName());
    assertThat(config.stateCommittedTopic()).isEqualTo(pipeline.getSpec().getTopics().getStateCommitted().getName());
    assertThat(config.dlqTopic()).isEqualTo(pipeline.getSpec().getTopics().getDlq().getName());
    assertThat(config.group()).isEqualTo(ReducerDeployment.consumerGroup(pipeline));
    assertThat(config.pipeline()).isEqualTo(pipeline.getMetadata().getName());
    assertThat(config.jdbcUrl()).isEqualTo(WorkloadEnv.jdbcUrl(pipeline));
    assertThat(config.schema()).isEqualTo(pipeline.getSpec().getPostgres().getSchema());
    assertThat(config.retry().maxAttempts()).isEqualTo(spec.getRetry().getMaxAttempts());
    assertThat(config.retry().backoffBaseMs()).isEqualTo(spec.getRetry().getBackoffBaseMs());
    assertThat(config.retry().backoffCapMs()).isEqualTo(spec.getRetry().getBackoffCapMs());
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofSeconds(spec.getDedupTtlSeconds()));
    assertThat(config.transactionActions()).isEqualTo(spec.getTransactions().getMaxActions());
    assertThat(config.commitTargetMs()).isEqualTo(spec.getTransactions().getCommitTargetMs());
    assertThat(config.stateCacheKeys()).isEqualTo(spec.getStateCacheKeys());
    assertThat(StateMachine.parse(config.stateMachineJson())).isEqualTo(machine);
    assertThat(config.groupInstanceId()).isEqualTo(PodEnvironment.POD_NAME);
    assertThat(config.httpPort()).isEqualTo(container.getPorts().get(0).getContainerPort());
  }

  @Test
  void transactionSettingsOfThePipelineReachTheCommand() throws Exception {
    ReducerTransactions transactions = pipeline.getSpec().getReducer().getTransactions();
    transactions.setMaxActions(120);
    transactions.setCommitTargetMs(0);
    pipeline.getSpec().getReducer().setStateCacheKeys(0);

    ReducerConfig config = commandConfig();

    assertThat(config.transactionActions()).isEqualTo(120);
    assertThat(config.commitTargetMs()).isZero();
    assertThat(config.stateCacheKeys()).isZero();
  }

  @Test
  void thePipelinesReducerDefaultsAreTheCommands() {
    ReducerTransactions defaults = new ReducerTransactions();

    assertThat(defaults.getMaxActions()).isEqualTo(Integer.parseInt(ReducerOptions.TRANSACTION_ACTIONS.defaultValue()));
    assertThat(defaults.getCommitTargetMs()).isEqualTo(Integer.parseInt(ReducerOptions.COMMIT_TARGET_MS.defaultValue()));
    assertThat(new ReducerWorkload().getStateCacheKeys())
        .isEqualTo(Integer.parseInt(ReducerOptions.STATE_CACHE_KEYS.defaultValue()));
  }

  private ReducerConfig commandConfig() throws Exception {
    StateMachine machine = ReducerScaling.stateMachine(pipeline.getSpec().getReducer()).orElseThrow();
    Container container = ReducerDeployment.build(pipeline, "ghcr.io/reducer/workloads:0.1.0", 1, machine,
        NO_SECRETS).getSpec().getTemplate().getSpec().getContainers().get(0);
    return ReducerConfig.parse(container.getArgs().subList(1, container.getArgs().size()),
        PodEnvironment.of(container));
  }
}
