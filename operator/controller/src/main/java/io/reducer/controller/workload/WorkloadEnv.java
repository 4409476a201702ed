package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.SecretKeySelector;
import io.reducer.api.v1alpha1.pipeline.KafkaSecurity;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.api.v1alpha1.pipeline.TlsSettings;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import java.util.ArrayList;
import java.util.List;

/**
 * Environment variables of the workloads the operator runs. Credentials reach a pod only as secretKeyRef: the
 * operator never copies a Secret's value into a Deployment or a Job.
 */
public final class WorkloadEnv {

  private WorkloadEnv() {
  }

  public static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /** The environment variable of a workload's option. */
  public static EnvVar plain(Option option, String value) {
    return plain(option.variable(), value);
  }

  /** The pod's own name, through the downward API. */
  public static EnvVar podName(String name) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
        .endFieldRef().endValueFrom().build();
  }

  public static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .withOptional(false).endSecretKeyRef().endValueFrom().build();
  }

  /**
   * How every workloads command reaches a pipeline's Kafka: KAFKA_BOOTSTRAP_SERVERS and, when spec.kafka.security
   * is set, the variables of {@link KafkaClientSecurity}: protocol and mechanism as values, username, password and
   * PEM material as secretKeyRef. Without security the list is only the broker list, as before security existed,
   * so pod templates of plaintext pipelines do not change.
   */
  public static List<EnvVar> kafka(ReducerPipeline pipeline) {
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("KAFKA_BOOTSTRAP_SERVERS", pipeline.getSpec().getKafka().getBootstrapServers()));
    KafkaSecurity security = pipeline.getSpec().getKafka().getSecurity();
    if (security == null) {
      return env;
    }
    env.add(plain(KafkaClientSecurity.PROTOCOL_ENV, security.getProtocol().name()));
    SaslAuthentication sasl = security.getSasl();
    if (sasl != null) {
      env.add(plain(KafkaClientSecurity.SASL_MECHANISM_ENV, ConnectionResolver.mechanism(sasl.getMechanism())));
      fromSecret(env, KafkaClientSecurity.SASL_USERNAME_ENV, sasl.getUsernameSecretRef());
      fromSecret(env, KafkaClientSecurity.SASL_PASSWORD_ENV, sasl.getPasswordSecretRef());
    }
    TlsSettings tls = security.getTls();
    if (tls != null) {
      fromSecret(env, KafkaClientSecurity.TLS_CA_ENV, tls.getCaSecretRef());
      fromSecret(env, KafkaClientSecurity.TLS_CERTIFICATE_ENV, tls.getCertificateSecretRef());
      fromSecret(env, KafkaClientSecurity.TLS_PRIVATE_KEY_ENV, tls.getPrivateKeySecretRef());
    }
    return env;
  }

  private static void fromSecret(List<EnvVar> env, String name, SecretKeySelector selector) {
    if (selector != null) {
      env.add(fromSecret(name, selector.getName(), selector.getKey()));
    }
  }

  /** The database login of a pipeline: PGUSER and PGPASSWORD from its Secret. */
  public static List<EnvVar> databaseLogin(ReducerPipeline pipeline) {
    PostgresConnection postgres = pipeline.getSpec().getPostgres();
    List<EnvVar> env = new ArrayList<>();
    env.add(fromSecret("PGUSER", postgres.getCredentials().getSecretName(), postgres.getCredentials().getUsernameKey()));
    env.add(fromSecret("PGPASSWORD", postgres.getCredentials().getSecretName(),
        postgres.getCredentials().getPasswordKey()));
    return env;
  }

  /** The JDBC URL of a pipeline's database (no credentials in it). */
  public static String jdbcUrl(ReducerPipeline pipeline) {
    return ConnectionResolver.jdbcUrl(pipeline.getSpec().getPostgres());
  }
}
