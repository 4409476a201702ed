package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.SecretKeySelector;
import io.reducer.api.v1alpha1.pipeline.KafkaConnection;
import io.reducer.api.v1alpha1.pipeline.KafkaSecurity;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.api.v1alpha1.pipeline.TlsSettings;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a pipeline's connection spec and its Secrets into client settings for the operator's own Kafka and
 * PostgreSQL clients. Secrets are read only from the pipeline's namespace.
 */
public final class ConnectionResolver {

  private ConnectionResolver() {
  }

  /** Kafka client properties (bootstrap servers and security), ready for an Admin client. */
  public static Map<String, Object> kafka(ReducerPipeline pipeline, SecretSource secrets) throws ResolutionFailure {
    KafkaConnection kafka = pipeline.getSpec().getKafka();
    SecretValues values = values(pipeline, secrets);
    Map<String, Object> properties = new TreeMap<>();
    properties.put("bootstrap.servers", kafka.getBootstrapServers());
    KafkaSecurity security = kafka.getSecurity();
    if (security == null) {
      return properties;
    }
    properties.put("security.protocol", security.getProtocol().name());
    SaslAuthentication sasl = security.getSasl();
    if (sasl != null) {
      String mechanism = sasl.getMechanism() == SaslAuthentication.Mechanism.PLAIN ? "PLAIN"
          : sasl.getMechanism().name().replace('_', '-');
      String module = sasl.getMechanism() == SaslAuthentication.Mechanism.PLAIN
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      String user = value(values, sasl.getUsernameSecretRef(), "spec.kafka.security.sasl.usernameSecretRef");
      String password = value(values, sasl.getPasswordSecretRef(), "spec.kafka.security.sasl.passwordSecretRef");
      properties.put("sasl.mechanism", mechanism);
      properties.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(user) + "\" password=\""
          + jaasEscape(password) + "\";");
    }
    TlsSettings tls = security.getTls();
    if (tls != null) {
      if (tls.getCaSecretRef() != null) {
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.certificates",
            value(values, tls.getCaSecretRef(), "spec.kafka.security.tls.caSecretRef"));
      }
      if (tls.getCertificateSecretRef() != null) {
        properties.put("ssl.keystore.type", "PEM");
        properties.put("ssl.keystore.certificate.chain",
            value(values, tls.getCertificateSecretRef(), "spec.kafka.security.tls.certificateSecretRef"));
        properties.put("ssl.keystore.key",
            value(values, tls.getPrivateKeySecretRef(), "spec.kafka.security.tls.privateKeySecretRef"));
      }
    }
    return properties;
  }

  /** JDBC URL, user and password for the pipeline database. */
  public static DatabaseLogin postgres(ReducerPipeline pipeline, SecretSource secrets) throws ResolutionFailure {
    PostgresConnection postgres = pipeline.getSpec().getPostgres();
    SecretValues values = values(pipeline, secrets);
    String secret = postgres.getCredentials().getSecretName();
    String user = values.value(secret, postgres.getCredentials().getUsernameKey(), "spec.postgres.credentials");
    String password = values.value(secret, postgres.getCredentials().getPasswordKey(), "spec.postgres.credentials");
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

  private static String value(SecretValues values, SecretKeySelector selector, String field) throws ResolutionFailure {
    return values.value(selector.getName(), selector.getKey(), field);
  }

  // JAAS option values are double-quoted; a quote or backslash in a password must not end the value.
  static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
