package io.reducer.controller.dlq;

import static io.reducer.controller.dlq.DlqTestResources.pipeline;
import static io.reducer.controller.dlq.DlqTestResources.projection;
import static io.reducer.controller.dlq.DlqTestResources.replay;
import static io.reducer.controller.dlq.DlqTestResources.sasl;
import static io.reducer.controller.dlq.DlqTestResources.viaProjection;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.controller.connections.SecretSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplaySourceTest {

  private static final Map<String, ReducerPipeline> PIPELINES = Map.of("shop", pipeline("shop"));
  private static final Map<String, Projection> PROJECTIONS = Map.of("orders-view", projection("orders-view", "shop"),
      "orphan-view", projection("orphan-view", "gone"));

  @Test
  void aPipelineRefReadsThePipelinesDlqUnlessTheSpecNamesAnother() {
    ReplaySource source = resolve(replay("fix", "shop")).source();
    assertThat(source.dlqTopic()).isEqualTo("shop.dlq");
    assertThat(source.pipelineKey()).isEqualTo("orders/shop");

    DlqReplay other = replay("fix", "shop");
    other.getSpec().setDlqTopic("shop.parking-lot");
    assertThat(resolve(other).source().dlqTopic()).isEqualTo("shop.parking-lot");
  }

  @Test
  void aProjectionRefReadsThroughTheProjectionsPipeline() {
    ReplaySource source = resolve(viaProjection("fix", "orders-view")).source();

    assertThat(source.pipeline().getMetadata().getName()).isEqualTo("shop");
    assertThat(source.dlqTopic()).isEqualTo("shop.dlq");
  }

  @Test
  void missingPipelinesAndProjectionsAreWaitedFor() {
    assertRefused(resolve(replay("fix", "absent")), "PipelineNotFound", false, "orders/absent does not exist");
    assertRefused(resolve(viaProjection("fix", "absent-view")), "ProjectionNotFound", false,
        "Projection orders/absent-view");
    assertRefused(resolve(viaProjection("fix", "orphan-view")), "PipelineNotFound", false,
        "the pipelineRef of Projection orphan-view");
  }

  @Test
  void aReferenceToAnotherNamespaceIsRefusedForGood() {
    DlqReplay replay = replay("fix", "shop");
    replay.getSpec().getPipelineRef().setNamespace("payments");

    assertRefused(resolve(replay), "CrossNamespaceReference", true, "payments");
  }

  @Test
  void aSecuredPipelineWaitsForItsKafkaSecretsAndThenResolves() {
    ReducerPipeline secured = pipeline("secured");
    secured.getSpec().getKafka().setSecurity(sasl(SaslAuthentication.Mechanism.PLAIN));
    ReplaySource.Resolution resolution = ReplaySource.resolve(replay("fix", "secured"),
        name -> Optional.of(secured), name -> Optional.empty());
    Map<String, Secret> store = new HashMap<>();
    SecretSource secrets = (namespace, name) -> Optional.ofNullable(store.get(namespace + "/" + name));

    assertThat(resolution.source()).isNotNull();
    assertRefused(ReplaySource.withKafkaSecrets(resolution, secrets), "SecretNotFound", false,
        "spec.kafka.security.sasl.usernameSecretRef refers to Secret orders/kafka-login");

    store.put("orders/kafka-login", new SecretBuilder().withNewMetadata().withName("kafka-login")
        .withNamespace("orders").endMetadata().withData(Map.of("username", "dXNlcg==")).build());
    assertRefused(ReplaySource.withKafkaSecrets(resolution, secrets), "SecretKeyNotFound", false, "\"password\"");

    store.put("orders/kafka-login", new SecretBuilder().withNewMetadata().withName("kafka-login")
        .withNamespace("orders").endMetadata().withData(Map.of("username", "dXNlcg==", "password", "cGFzcw=="))
        .build());
    assertThat(ReplaySource.withKafkaSecrets(resolution, secrets)).isSameAs(resolution);
  }

  @Test
  void anEarlierRefusalIsKept() {
    ReplaySource.Resolution refused = resolve(replay("fix", "absent"));

    assertThat(ReplaySource.withKafkaSecrets(refused, (namespace, name) -> Optional.empty())).isSameAs(refused);
  }

  private static ReplaySource.Resolution resolve(DlqReplay replay) {
    return ReplaySource.resolve(replay, name -> Optional.ofNullable(PIPELINES.get(name)),
        name -> Optional.ofNullable(PROJECTIONS.get(name)));
  }

  private static void assertRefused(ReplaySource.Resolution resolution, String reason, boolean terminal,
      String messagePart) {
    assertThat(resolution.source()).isNull();
    assertThat(resolution.refusal().reason()).isEqualTo(reason);
    assertThat(resolution.refusal().terminal()).isEqualTo(terminal);
    assertThat(resolution.refusal().message()).contains(messagePart);
  }
}
