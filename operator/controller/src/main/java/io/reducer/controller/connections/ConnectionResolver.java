package io.reducer.controller.connections;

import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.SecretKeySelector;
import io.reducer.api.v1alpha1.pipeline.KafkaConnection;
import io.reducer.api.v1alpha1.pipeline.KafkaSecurity;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.api.v1alpha1.pipeline.TlsSettings;
import io.reducer.controller.postgres.DatabaseLogin;
import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.kafka.KafkaSecurityException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a pipeline's connection spec and its Secrets into client settings for the operator's own Kafka and
 * PostgreSQL clients. Secrets are read only from the pipeline's namespace.
 */
public final class ConnectionResolver {

  private ConnectionResolver() {
  }

  /**
   * Kafka client properties (bootstrap servers and security), ready for an Admin client. The Secret values go
   * through the same mapping the workloads apply to their {@code KAFKA_*} variables, so the operator and its pods
   * connect alike.
   */
  public static Map<String, Object> kafka(ReducerPipeline pipeline, SecretSource secrets) throws ResolutionFailure {
    KafkaConnection kafka = pipeline.getSpec().getKafka();
    Map<String, Object> properties = new TreeMap<>();
    properties.put("bootstrap.servers", kafka.getBootstrapServers());
    KafkaSecurity security = kafka.getSecurity();
    if (security == null) {
      return properties;
    }
    SecretValues values = values(pipeline, secrets);
    // Absent parts resolve to null: the shared mapping then checks them like unset variables.
    SaslAuthentication sasl = security.getSasl() == null ? new SaslAuthentication() : security.getSasl();
    TlsSettings tls = security.getTls() == null ? new TlsSettings() : security.getTls();
    try {
      properties.putAll(KafkaClientSecurity.of(security.getProtocol().name(),
          sasl.getMechanism() == null ? null : mechanism(sasl.getMechanism()),
          value(values, sasl.getUsernameSecretRef(), "spec.kafka.security.sasl.usernameSecretRef"),
          value(values, sasl.getPasswordSecretRef(), "spec.kafka.security.sasl.passwordSecretRef"),
          value(values, tls.getCaSecretRef(), "spec.kafka.security.tls.caSecretRef"),
          value(values, tls.getCertificateSecretRef(), "spec.kafka.security.tls.certificateSecretRef"),
          value(values, tls.getPrivateKeySecretRef(), "spec.kafka.security.tls.privateKeySecretRef")).properties());
    } catch (KafkaSecurityException e) {
      throw new ResolutionFailure(ResolutionFailure.Reason.InvalidKafkaSecurity, "ReducerPipeline "
          + pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName()
          + ": spec.kafka.security and its Secrets do not fit together: " + e.getMessage());
    }
    return properties;
  }

  /** Kafka's sasl.mechanism name, e.g. SCRAM-SHA-512. */
  public static String mechanism(SaslAuthentication.Mechanism mechanism) {
    return mechanism.name().replace('_', '-');
  }

  /** JDBC URL, user and password for the pipeline database. */
  public static DatabaseLogin postgres(ReducerPipeline pipeline, SecretSource secrets) throws ResolutionFailure {
    PostgresConnection postgres = pipeline.getSpec().getPostgres();
    SecretValues values = values(pipeline, secrets);
    String secret = postgres.getCredentials().getSecretName();
    // Like the workloads (PGUSER, PGPASSWORD): without the newline `echo | base64` leaves.
    String user = SecretText.withoutTrailingNewline(values.value(secret, postgres.getCredentials().getUsernameKey(),
        "spec.postgres.credentials"));
    String password = SecretText.withoutTrailingNewline(values.value(secret,
        postgres.getCredentials().getPasswordKey(), "spec.postgres.credentials"));
    String url = jdbcUrl(postgres) + "&ApplicationName=reducer-operator";
    return new DatabaseLogin(url, user, password,
        postgres.getHost() + ":" + postgres.getPort() + "/" + postgres.getDatabase());
  }

  /** The pipeline database's JDBC URL with its sslmode, as the operator and the workloads use it. */
  public static String jdbcUrl(PostgresConnection postgres) {
    return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getPort() + "/" + postgres.getDatabase()
        + "?sslmode=" + postgres.getSslMode().name().replace('_', '-');
  }

  /** Refuses a pipeline reference that leaves the resource's namespace. */
  public static void checkReference(LocalReference reference, String ownNamespace, String field)
      throws ResolutionFailure {
    SecretValues.requireSameNamespace(reference, ownNamespace, field);
  }

  private static SecretValues values(ReducerPipeline pipeline, SecretSource secrets) {
    String namespace = pipeline.getMetadata().getNamespace();
    return new SecretValues(secrets, namespace, "ReducerPipeline " + namespace + "/" + pipeline.getMetadata().getName());
  }

  /** The selected Secret value, or null when the selector is absent. */
  private static String value(SecretValues values, SecretKeySelector selector, String field) throws ResolutionFailure {
    return selector == null ? null : values.value(selector.getName(), selector.getKey(), field);
  }
}
