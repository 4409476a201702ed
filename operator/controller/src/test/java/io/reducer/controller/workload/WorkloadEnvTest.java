package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.SecretKeySelector;
import io.reducer.api.v1alpha1.pipeline.KafkaSecurity;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.api.v1alpha1.pipeline.TlsSettings;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.controller.connections.SecretSource;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Kafka variables the operator gives its workloads, and their agreement with the operator's own client. */
class WorkloadEnvTest {

  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
  private static final String CHAIN = "-----BEGIN CERTIFICATE-----\nMIIBleaf\n-----END CERTIFICATE-----\n";
  private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n";

  private final Map<String, Secret> store = new HashMap<>();
  private final SecretSource secrets = (namespace, name) -> Optional.ofNullable(store.get(namespace + "/" + name));

  @Test
  void aSecuredPipelineGivesProtocolAndMechanismAsValuesAndEverySecretAsAReference() {
    ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);

    List<EnvVar> env = WorkloadEnv.kafka(pipeline);

    assertThat(env).extracting(EnvVar::getName).containsExactly("KAFKA_BOOTSTRAP_SERVERS",
        KafkaClientSecurity.PROTOCOL_ENV, KafkaClientSecurity.SASL_MECHANISM_ENV,
        KafkaClientSecurity.SASL_USERNAME_ENV, KafkaClientSecurity.SASL_PASSWORD_ENV, KafkaClientSecurity.TLS_CA_ENV);
    assertThat(value(env, "KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
    assertThat(value(env, "KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
    assertReference(env, "KAFKA_SASL_USERNAME", "workflows-kafka", "username");
    assertReference(env, "KAFKA_SASL_PASSWORD", "workflows-kafka", "password");
    assertReference(env, "KAFKA_TLS_CA", "kafka-cluster-ca", "ca.crt");
  }

  @Test
  void mutualTlsReferencesCertificateAndKey() {
    ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);
    pipeline.getSpec().getKafka().setSecurity(security(KafkaSecurity.Protocol.SSL, null, true));

    List<EnvVar> env = WorkloadEnv.kafka(pipeline);

    assertThat(env).extracting(EnvVar::getName).containsExactly("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL",
        "KAFKA_TLS_CA", "KAFKA_TLS_CERTIFICATE", "KAFKA_TLS_PRIVATE_KEY");
    assertReference(env, "KAFKA_TLS_CERTIFICATE", "client-tls", "tls.crt");
    assertReference(env, "KAFKA_TLS_PRIVATE_KEY", "client-tls", "tls.key");
  }

  @Test
  void withoutSecurityOnlyTheBrokerListIsGiven() {
    ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);
    pipeline.getSpec().getKafka().setSecurity(null);

    assertThat(WorkloadEnv.kafka(pipeline)).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
      assertThat(e.getValue()).isEqualTo(pipeline.getSpec().getKafka().getBootstrapServers());
    });
  }

  @Test
  void changingTheSecurityChangesThePodTemplate() {
    Projection projection = example("projection.yaml", Projection.class);
    ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);
    Deployment secured = MaterializerDeployment.build(projection, pipeline, "img:1", 3, secrets);
    pipeline.getSpec().getKafka().getSecurity().getSasl().setMechanism(SaslAuthentication.Mechanism.SCRAM_SHA_256);
    Deployment otherMechanism = MaterializerDeployment.build(projection, pipeline, "img:1", 3, secrets);
    pipeline.getSpec().getKafka().setSecurity(null);
    Deployment plaintext = MaterializerDeployment.build(projection, pipeline, "img:1", 3, secrets);

    assertThat(secured.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .containsAll(WorkloadEnv.kafka(example("reducerpipeline.yaml", ReducerPipeline.class)));
    assertThat(List.of(WorkloadApplier.hash(secured), WorkloadApplier.hash(otherMechanism),
        WorkloadApplier.hash(plaintext))).doesNotHaveDuplicates();
  }

  /**
   * The pods' variables, resolved as the kubelet would, give the workloads exactly the client properties the
   * operator's own admin client uses, for every protocol and mechanism.
   */
  @Test
  void theWorkloadsAndTheOperatorConnectWithTheSameProperties() throws Exception {
    secret("workflows-kafka", Map.of("username", "reducer", "password", "p\"ss\\word"));
    secret("kafka-cluster-ca", Map.of("ca.crt", CA));
    secret("client-tls", Map.of("tls.crt", CHAIN, "tls.key", KEY));
    ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);
    List<KafkaSecurity> cases = new java.util.ArrayList<>();
    cases.add(null);
    cases.add(security(KafkaSecurity.Protocol.PLAINTEXT, null, false));
    cases.add(security(KafkaSecurity.Protocol.SSL, null, false));
    cases.add(security(KafkaSecurity.Protocol.SSL, null, true));
    for (SaslAuthentication.Mechanism mechanism : SaslAuthentication.Mechanism.values()) {
      cases.add(security(KafkaSecurity.Protocol.SASL_PLAINTEXT, mechanism, false));
      cases.add(security(KafkaSecurity.Protocol.SASL_SSL, mechanism, true));
    }
    for (KafkaSecurity security : cases) {
      pipeline.getSpec().getKafka().setSecurity(security);

      Map<String, Object> operator = ConnectionResolver.kafka(pipeline, secrets);
      Map<String, Object> workloads = KafkaClientSecurity.fromEnv(resolve(WorkloadEnv.kafka(pipeline)))
          .clientProperties(pipeline.getSpec().getKafka().getBootstrapServers());

      assertThat(workloads).as(security == null ? "none" : security.getProtocol() + " "
          + (security.getSasl() == null ? "" : security.getSasl().getMechanism())).isEqualTo(operator);
    }
  }

  private static KafkaSecurity security(KafkaSecurity.Protocol protocol, SaslAuthentication.Mechanism mechanism,
      boolean mutualTls) {
    KafkaSecurity security = new KafkaSecurity();
    security.setProtocol(protocol);
    if (mechanism != null) {
      SaslAuthentication sasl = new SaslAuthentication();
      sasl.setMechanism(mechanism);
      sasl.setUsernameSecretRef(new SecretKeySelector("workflows-kafka", "username"));
      sasl.setPasswordSecretRef(new SecretKeySelector("workflows-kafka", "password"));
      security.setSasl(sasl);
    }
    if (protocol.name().endsWith("SSL")) {
      TlsSettings tls = new TlsSettings();
      tls.setCaSecretRef(new SecretKeySelector("kafka-cluster-ca", "ca.crt"));
      if (mutualTls) {
        tls.setCertificateSecretRef(new SecretKeySelector("client-tls", "tls.crt"));
        tls.setPrivateKeySecretRef(new SecretKeySelector("client-tls", "tls.key"));
      }
      security.setTls(tls);
    }
    return security;
  }

  /** What the container sees: values as they are, secretKeyRefs read from the Secrets. */
  private Map<String, String> resolve(List<EnvVar> env) {
    Map<String, String> resolved = new HashMap<>();
    for (EnvVar variable : env) {
      if (variable.getValueFrom() == null) {
        resolved.put(variable.getName(), variable.getValue());
      } else {
        var ref = variable.getValueFrom().getSecretKeyRef();
        String encoded = store.get("orders/" + ref.getName()).getData().get(ref.getKey());
        resolved.put(variable.getName(), new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
      }
    }
    return resolved;
  }

  private void secret(String name, Map<String, String> values) {
    Map<String, String> data = new HashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    store.put("orders/" + name, new SecretBuilder().withNewMetadata().withName(name).withNamespace("orders")
        .endMetadata().withData(data).build());
  }

  private static String value(List<EnvVar> env, String name) {
    return env.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
  }

  private static void assertReference(List<EnvVar> env, String name, String secret, String key) {
    EnvVar variable = env.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    assertThat(variable.getValue()).as(name).isNull();
    assertThat(variable.getValueFrom().getSecretKeyRef().getName()).as(name).isEqualTo(secret);
    assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).as(name).isEqualTo(key);
    assertThat(variable.getValueFrom().getSecretKeyRef().getOptional()).as(name).isFalse();
  }

  private static <T> T example(String file, Class<T> type) {
    return MaterializerDeploymentTest.example(file, type);
  }
}
