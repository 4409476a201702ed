package io.reducer.controller.workload;

import static io.reducer.controller.workload.MaterializerDeploymentTest.example;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.Max;
import io.fabric8.kubernetes.api.model.Container;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.projection.MaterializerWorkload;
import io.reducer.controller.connections.SecretSource;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.materializer.MaterializerConfig;
import io.reducer.workloads.materializer.MaterializerOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator and {@code workloads materialize} agree: every variable the operator puts on a materializer pod is
 * one the command reads, and the command, parsing that environment, runs with what the Projection asked for.
 */
class MaterializerContractTest {

  private static final SecretSource NO_SECRETS = (namespace, name) -> Optional.empty();

  private final Projection projection = example("projection.yaml", Projection.class);
  private final ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);

  @Test
  void everyVariableOnThePodIsAnOptionOfTheCommand() {
    Set<String> read = MaterializerOptions.all().stream().map(Option::variable).collect(Collectors.toSet());
    read.add("PGPASSWORD");
    read.addAll(KafkaClientSecurity.VARIABLES);

    Set<String> given = new HashSet<>(PodEnvironment.of(container()).keySet());

    assertThat(read).containsAll(given);
  }

  @Test
  void theCommandRunsWithWhatTheProjectionAskedFor() throws Exception {
    projection.getMetadata().setUid("6f1c2d9e-0000-4000-8000-000000000001");
    projection.getSpec().getMaterializer().setSessionTimeoutMs(25_000);
    projection.getSpec().getMaterializer().setDatabaseWriters(3);
    projection.getSpec().getMaterializer().setFetchWaitMs(20);
    Container container = container();

    MaterializerConfig config = MaterializerConfig.parse(container.getArgs().subList(1, container.getArgs().size()),
        PodEnvironment.of(container));

    assertThat(container.getArgs().get(0)).isEqualTo("materialize");
    assertThat(config.bootstrapServers()).isEqualTo(pipeline.getSpec().getKafka().getBootstrapServers());
    assertThat(config.topic()).isEqualTo(MaterializerDeployment.sourceTopic(projection, pipeline));
    assertThat(config.dlqTopic()).isEqualTo(pipeline.getSpec().getTopics().getDlq().getName());
    assertThat(config.group()).isEqualTo(MaterializerDeployment.consumerGroup(projection));
    assertThat(config.namespace()).isEqualTo(projection.getMetadata().getNamespace());
    assertThat(config.projection()).isEqualTo(projection.getMetadata().getName());
    assertThat(config.projectionUid()).isEqualTo(projection.getMetadata().getUid());
    assertThat(config.table()).isEqualTo(projection.getSpec().getTable());
    assertThat(config.schema()).isEqualTo(pipeline.getSpec().getPostgres().getSchema());
    assertThat(config.jdbcUrl()).isEqualTo(WorkloadEnv.jdbcUrl(pipeline));
    assertThat(config.dbUser()).startsWith("secret:" + pipeline.getSpec().getPostgres().getCredentials().getSecretName());
    assertThat(config.maxRecords()).isEqualTo(projection.getSpec().getMaterializer().getBatch().getMaxRecords());
    assertThat(config.pollTimeoutMs()).isEqualTo(projection.getSpec().getMaterializer().getBatch().getPollTimeoutMs());
    assertThat(config.sessionTimeoutMs()).isEqualTo(25_000);
    assertThat(config.writers()).isEqualTo(3);
    assertThat(config.fetchWaitMs()).isEqualTo(20);
    assertThat(config.groupInstanceId()).isEqualTo(PodEnvironment.POD_NAME);
    assertThat(config.httpPort()).isEqualTo(container.getPorts().get(0).getContainerPort());
  }

  /** The Projection accepts no more database writers than the command does. */
  @Test
  void theProjectionBoundsTheWritersAsTheCommandDoes() throws Exception {
    Max max = MaterializerWorkload.class.getDeclaredField("databaseWriters").getAnnotation(Max.class);

    assertThat((int) max.value()).isEqualTo(MaterializerOptions.MAX_WRITERS);
  }

  /** The Projection accepts no longer fetch wait than the command does. */
  @Test
  void theProjectionBoundsTheFetchWaitAsTheCommandDoes() throws Exception {
    Max max = MaterializerWorkload.class.getDeclaredField("fetchWaitMs").getAnnotation(Max.class);

    assertThat((int) max.value()).isEqualTo(MaterializerOptions.MAX_FETCH_WAIT_MS);
  }

  /** A person who runs the materializer or a reset by hand, without --group, reads in the operator's group. */
  @Test
  void withoutAGroupTheCommandDefaultsToTheGroupTheOperatorGives() throws Exception {
    projection.getSpec().setConsumerGroup(null);
    Container container = container();
    Map<String, String> env = PodEnvironment.of(container);
    env.remove(MaterializerOptions.GROUP.variable());

    MaterializerConfig config = MaterializerConfig.parse(List.of(), env);

    assertThat(config.group()).isEqualTo(MaterializerDeployment.consumerGroup(projection))
        .isEqualTo("reducer." + projection.getMetadata().getNamespace() + "." + projection.getMetadata().getName());
  }

  private Container container() {
    return MaterializerDeployment.build(projection, pipeline, "ghcr.io/reducer/workloads:0.1.0", 1, NO_SECRETS)
        .getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
