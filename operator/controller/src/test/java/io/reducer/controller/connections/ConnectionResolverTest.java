package io.reducer.controller.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineSpec;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.SecretKeySelector;
import io.reducer.api.v1alpha1.pipeline.KafkaConnection;
import io.reducer.api.v1alpha1.pipeline.KafkaSecurity;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.api.v1alpha1.pipeline.PostgresCredentials;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.api.v1alpha1.pipeline.TlsSettings;
import io.reducer.controller.postgres.DatabaseLogin;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionResolverTest {

  private final Map<String, Secret> store = new HashMap<>();
  private final SecretSource secrets = (namespace, name) -> Optional.ofNullable(store.get(namespace + "/" + name));

  @Test
  void plaintextNeedsNoSecrets() throws Exception {
    Map<String, Object> properties = ConnectionResolver.kafka(pipeline(null), secrets);

    assertThat(properties).containsExactly(Map.entry("bootstrap.servers", "kafka:9092"));
  }

  @Test
  void saslScramOverTlsReadsCredentialsAndCaFromSecretsInTheOwnNamespace() throws Exception {
    secret("orders", "kafka-login", Map.of("username", "reducer", "password", "p\"ss\\word"));
    secret("orders", "kafka-ca", Map.of("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
    KafkaSecurity security = new KafkaSecurity();
    security.setProtocol(KafkaSecurity.Protocol.SASL_SSL);
    SaslAuthentication sasl = new SaslAuthentication();
    sasl.setMechanism(SaslAuthentication.Mechanism.SCRAM_SHA_512);
    sasl.setUsernameSecretRef(new SecretKeySelector("kafka-login", "username"));
    sasl.setPasswordSecretRef(new SecretKeySelector("kafka-login", "password"));
    security.setSasl(sasl);
    TlsSettings tls = new TlsSettings();
    tls.setCaSecretRef(new SecretKeySelector("kafka-ca", "ca.crt"));
    security.setTls(tls);

    Map<String, Object> properties = ConnectionResolver.kafka(pipeline(security), secrets);

    assertThat(properties).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    // The quote and backslash in the password cannot end the JAAS value early.
    assertThat(properties.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule"
        + " required username=\"reducer\" password=\"p\\\"ss\\\\word\";");
  }

  @Test
  void aMissingSecretSaysWhichAndWhereToCreateIt() {
    assertThatThrownBy(() -> ConnectionResolver.postgres(pipeline(null), secrets))
        .isInstanceOfSatisfying(ResolutionFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(ResolutionFailure.Reason.SecretNotFound);
          assertThat(f.getMessage()).contains("Secret orders/workflows-postgres").contains("create it in namespace orders");
        });
  }

  @Test
  void aSecretOfTheSameNameInAnotherNamespaceIsNotUsed() {
    secret("kube-system", "workflows-postgres", Map.of("username", "admin", "password", "stolen"));

    assertThatThrownBy(() -> ConnectionResolver.postgres(pipeline(null), secrets))
        .isInstanceOfSatisfying(ResolutionFailure.class,
            f -> assertThat(f.reason()).isEqualTo(ResolutionFailure.Reason.SecretNotFound));
  }

  @Test
  void aMissingKeyIsNamed() {
    secret("orders", "workflows-postgres", Map.of("user", "reducer"));

    assertThatThrownBy(() -> ConnectionResolver.postgres(pipeline(null), secrets))
        .isInstanceOfSatisfying(ResolutionFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(ResolutionFailure.Reason.SecretKeyNotFound);
          assertThat(f.getMessage()).contains("key \"username\"");
        });
  }

  @Test
  void postgresLoginComesFromTheSecretAndTheUrlFromTheSpec() throws Exception {
    secret("orders", "workflows-postgres", Map.of("username", "reducer", "password", "secret"));

    DatabaseLogin login = ConnectionResolver.postgres(pipeline(null), secrets);

    assertThat(login.jdbcUrl()).isEqualTo(
        "jdbc:postgresql://postgres.orders.svc:5432/workflows?sslmode=verify-full&ApplicationName=reducer-operator");
    assertThat(login.user()).isEqualTo("reducer");
    assertThat(login.password()).isEqualTo("secret");
    assertThat(login.toString()).doesNotContain("secret");
  }

  @Test
  void theNewlineThatEchoLeavesAtTheEndOfASecretIsNotPartOfTheCredential() throws Exception {
    // echo "secret" | base64 stores "secret\n": the login would fail with nothing to say why.
    secret("orders", "workflows-postgres", Map.of("username", "reducer\n", "password", "secret \r\n"));

    DatabaseLogin login = ConnectionResolver.postgres(pipeline(null), secrets);

    assertThat(login.user()).isEqualTo("reducer");
    assertThat(login.password()).isEqualTo("secret ");
  }

  @Test
  void referencesToAnotherNamespaceAreRefusedAndTheOwnNamespaceIsAccepted() throws Exception {
    LocalReference elsewhere = new LocalReference("workflows");
    elsewhere.setNamespace("payments");
    LocalReference explicit = new LocalReference("workflows");
    explicit.setNamespace("orders");

    assertThatThrownBy(() -> ConnectionResolver.checkReference(elsewhere, "orders", "spec.pipelineRef"))
        .isInstanceOfSatisfying(ResolutionFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(ResolutionFailure.Reason.CrossNamespaceReference);
          assertThat(f.getMessage()).contains("spec.pipelineRef points to namespace payments");
        });
    ConnectionResolver.checkReference(explicit, "orders", "spec.pipelineRef");
    ConnectionResolver.checkReference(new LocalReference("workflows"), "orders", "spec.pipelineRef");
  }

  private void secret(String namespace, String name, Map<String, String> values) {
    Map<String, String> data = new HashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    store.put(namespace + "/" + name, new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .endMetadata().withData(data).build());
  }

  private static ReducerPipeline pipeline(KafkaSecurity security) {
    ReducerPipeline pipeline = new ReducerPipeline();
    pipeline.getMetadata().setName("workflows");
    pipeline.getMetadata().setNamespace("orders");
    ReducerPipelineSpec spec = new ReducerPipelineSpec();
    KafkaConnection kafka = new KafkaConnection();
    kafka.setBootstrapServers("kafka:9092");
    kafka.setSecurity(security);
    spec.setKafka(kafka);
    PostgresConnection postgres = new PostgresConnection();
    postgres.setHost("postgres.orders.svc");
    postgres.setDatabase("workflows");
    postgres.setSslMode(PostgresConnection.SslMode.verify_full);
    postgres.setCredentials(new PostgresCredentials("workflows-postgres"));
    spec.setPostgres(postgres);
    pipeline.setSpec(spec);
    return pipeline;
  }
}
