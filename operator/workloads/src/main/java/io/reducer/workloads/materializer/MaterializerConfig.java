package io.reducer.workloads.materializer;

import static io.reducer.workloads.materializer.MaterializerOptions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.postgres.Database;
import io.reducer.workloads.postgres.DatabaseOptions;

/**
 * Settings of the materialize command. Each comes from a flag or, when the flag is absent, from an environment
 * variable (the form a Kubernetes Deployment uses). The password is only read from {@code PGPASSWORD}, and Kafka
 * security only from the {@code KAFKA_*} variables of {@link KafkaClientSecurity}, so no secret appears in a
 * process listing or in {@link #toString()}.
 */
public record MaterializerConfig(
    String bootstrapServers,
    KafkaClientSecurity kafkaSecurity,
    String topic,
    String group,
    String namespace,
    String projection,
    String projectionUid,
    String dlqTopic,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String schema,
    String table,
    int maxRecords,
    int pollTimeoutMs,
    int sessionTimeoutMs,
    String groupInstanceId,
    int idleTransactionTimeoutMs,
    int writers,
    int fetchWaitMs,
    int httpPort) {

  private static final Pattern KAFKA_NAME = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

  /** The Projection this materializer writes for, as it claims the table. */
  public TableOwner owner() {
    return TableOwner.of(namespace, projection, projectionUid);
  }

  /** A connection to the database with these settings; it connects on first use. */
  public Database database() {
    return new Database(jdbcUrl, dbUser, dbPassword, "reducer-materializer",
        Duration.ofMillis(idleTransactionTimeoutMs));
  }

  public MaterializerConfig {
    if (dbPassword == null) {
      dbPassword = "";
    }
  }

  public static String usage() {
    return MaterializerOptions.OPTIONS.usage() + '\n' + KafkaClientSecurity.usage();
  }

  /** Parses {@code --flag value} and {@code --flag=value}; throws with a message that names the fix. */
  public static MaterializerConfig parse(List<String> args, Map<String, String> env) throws ConfigException {
    CommandOptions<ConfigException>.Values values = MaterializerOptions.OPTIONS.parse(args, env);
    String table = DatabaseOptions.projectionTable(values, TABLE);
    String schema = DatabaseOptions.schema(values, SCHEMA);
    String projection = ShadowNames.checkedProjection(values.text(PROJECTION), table);
    String namespace = Namespaces.check(NAMESPACE.flag(), NAMESPACE.variable(), values.text(NAMESPACE));
    String group = ProjectionGroups.given(values.text(GROUP), namespace, projection);
    checkTopic(TOPIC.flag(), values.text(TOPIC));
    checkTopic(DLQ_TOPIC.flag(), values.text(DLQ_TOPIC));
    if (values.text(TOPIC).equals(values.text(DLQ_TOPIC))) {
      throw new ConfigException("--dlq-topic must differ from --topic: poison records would be read again");
    }
    String jdbcUrl = DatabaseOptions.jdbcUrl(values, JDBC_URL);
    KafkaClientSecurity kafkaSecurity = KafkaClientSecurity.fromEnv(env, e -> new ConfigException(e.getMessage(), e));
    return new MaterializerConfig(values.text(BOOTSTRAP_SERVERS), kafkaSecurity, values.text(TOPIC), group,
        namespace, projection, values.text(PROJECTION_UID), values.text(DLQ_TOPIC), jdbcUrl,
        values.text(DB_USER), SecretText.withoutTrailingNewline(env.get("PGPASSWORD")), schema, table,
        values.integer(MAX_RECORDS, 1, 100_000),
        values.integer(POLL_TIMEOUT_MS, 1, 60_000),
        values.integer(SESSION_TIMEOUT_MS, 1000, 1_800_000),
        groupInstanceId(values.text(GROUP_INSTANCE_ID)),
        values.integer(IDLE_TRANSACTION_TIMEOUT_MS, 1000, 3_600_000),
        values.integer(WRITERS, 1, MAX_WRITERS),
        values.integer(FETCH_WAIT_MS, 0, MAX_FETCH_WAIT_MS),
        values.integer(HTTP_PORT, -1, 65_535));
  }

  @Override
  public String toString() {
    return "topic=" + topic + " group=" + group + " namespace=" + namespace + " projection=" + projection + " dlq=" + dlqTopic
        + " bootstrap=" + bootstrapServers + " kafkaSecurity=" + kafkaSecurity + " jdbc=" + jdbcUrl + " user=" + dbUser
        + " table=" + schema + "." + table + " maxRecords=" + maxRecords + " pollTimeoutMs=" + pollTimeoutMs
        + " sessionTimeoutMs=" + sessionTimeoutMs
        + (groupInstanceId.isEmpty() ? "" : " groupInstanceId=" + groupInstanceId)
        + " idleTransactionTimeoutMs=" + idleTransactionTimeoutMs + " writers=" + writers + " fetchWaitMs=" + fetchWaitMs
        + " httpPort=" + httpPort;
  }

  private static void checkTopic(String flag, String value) throws ConfigException {
    if (!KAFKA_NAME.matcher(value).matches()) {
      throw new ConfigException("invalid " + flag + " '" + value + "': Kafka topic names use [a-zA-Z0-9._-], 1-249 characters");
    }
  }

  /** Kafka accepts 1 to 249 characters of [a-zA-Z0-9._-] as a group.instance.id; a pod name always fits. */
  static String groupInstanceId(String value) throws ConfigException {
    if (!value.isEmpty() && !KAFKA_NAME.matcher(value).matches()) {
      throw new ConfigException("invalid --group-instance-id '" + value
          + "': Kafka group instance ids use [a-zA-Z0-9._-], 1-249 characters; fix --group-instance-id or"
          + " MATERIALIZER_GROUP_INSTANCE_ID");
    }
    return value;
  }

}
