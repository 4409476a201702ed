package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.controller.pipeline.ConnectionResolver;
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

  public static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .withOptional(false).endSecretKeyRef().endValueFrom().build();
  }

  /** The broker list of a pipeline: KAFKA_BOOTSTRAP_SERVERS, read by every workloads command. */
  public static EnvVar kafka(ReducerPipeline pipeline) {
    return plain("KAFKA_BOOTSTRAP_SERVERS", pipeline.getSpec().getKafka().getBootstrapServers());
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
