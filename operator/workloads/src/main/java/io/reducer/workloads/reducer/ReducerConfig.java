package io.reducer.workloads.reducer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.materializer.Namespaces;

/**
 * Settings of {@code workloads reduce}. Like every workloads command, each comes from a flag or an environment
 * variable; the database password only from {@code PGPASSWORD} and Kafka security only from the {@code KAFKA_*}
 * variables, so no secret appears in a process listing or in {@link #toString()}.
 */
public record ReducerConfig(
    String bootstrapServers,
    KafkaClientSecurity kafkaSecurity,
    String actionsTopic,
    String stateCommittedTopic,
    String dlqTopic,
    String group,
    String pipeline,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String schema,
    String reducerClass,
    String stateMachineJson,
    RetryPolicy retry,
    Duration dedupTtl,
    int maxRecords,
    int transactionActions,
    int commitTargetMs,
    int stateCacheKeys,
    int pollTimeoutMs,
    int sessionTimeoutMs,
    String groupInstanceId,
    boolean outboxRelay,
    int outboxPollMs,
    Duration outboxRetention,
    int httpPort) {

  private static final Pattern TOPIC = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");
  private static final Pattern PIPELINE = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");

  public ReducerConfig {
    if (dbPassword == null) {
      dbPassword = "";
    }
  }

  public static String usage() {
    return ReducerOptions.OPTIONS.usage() + '\n' + KafkaClientSecurity.usage();
  }

  public static ReducerConfig parse(List<String> args, Map<String, String> env) throws ReducerConfigException {
    CommandOptions<ReducerConfigException>.Values values = ReducerOptions.OPTIONS.parse(args, env);
    String schema = values.text("--schema");
    if (!Identifiers.isValid(schema)) {
      throw new ReducerConfigException("invalid --schema '" + schema + "': it must match " + Identifiers.PATTERN_TEXT
          + "; fix --schema or REDUCER_SCHEMA");
    }
    String pipeline = values.text("--pipeline");
    if (!PIPELINE.matcher(pipeline).matches()) {
      throw new ReducerConfigException("invalid --pipeline '" + pipeline
          + "': use a Kubernetes name (lower-case letters, digits, '-' and '.')");
    }
    List<String> topics = List.of("--actions-topic", "--state-committed-topic", "--dlq-topic");
    for (String flag : topics) {
      if (!TOPIC.matcher(values.text(flag)).matches() || values.text(flag).matches("\\.{1,2}")) {
        throw new ReducerConfigException("invalid " + flag + " '" + values.text(flag)
            + "': Kafka topic names use [a-zA-Z0-9._-], 1-249 characters");
      }
    }
    String actions = values.text("--actions-topic");
    if (actions.equals(values.text("--state-committed-topic")) || actions.equals(values.text("--dlq-topic"))) {
      throw new ReducerConfigException("--actions-topic must differ from --state-committed-topic and --dlq-topic: "
          + "the reducer would read its own output");
    }
    if (!values.text("--jdbc-url").startsWith("jdbc:postgresql:")) {
      throw new ReducerConfigException(
          "--jdbc-url must start with jdbc:postgresql:, e.g. jdbc:postgresql://db:5432/app");
    }
    String machine = values.text("--state-machine");
    String machineFile = values.text("--state-machine-file");
    if (!machine.isEmpty() && !machineFile.isEmpty()) {
      throw new ReducerConfigException("give the state machine once: --state-machine or --state-machine-file");
    }
    if (!machineFile.isEmpty()) {
      try {
        machine = Files.readString(Path.of(machineFile));
        if (machine.isBlank()) {
          throw new ReducerConfigException("--state-machine-file " + machineFile + " is empty: it must hold the "
              + "state machine JSON (see docs/reducer.md)");
        }
      } catch (IOException e) {
        throw new ReducerConfigException("cannot read --state-machine-file " + machineFile + ": " + e.getMessage(), e);
      }
    }
    String reducerClass = values.text("--reducer-class");
    if (!reducerClass.isEmpty() && !machine.isEmpty()) {
      throw new ReducerConfigException("--state-machine configures the built-in reducer; drop it or --reducer-class");
    }
    RetryPolicy retry = new RetryPolicy(values.integer("--max-attempts", 1, 100),
        values.integer("--backoff-base-ms", 0, 60_000), values.integer("--backoff-cap-ms", 0, 60_000));
    if (retry.backoffCapMs() < retry.backoffBaseMs()) {
      throw new ReducerConfigException("--backoff-cap-ms (" + retry.backoffCapMs()
          + ") must not be below --backoff-base-ms (" + retry.backoffBaseMs() + ")");
    }
    String namespace;
    try {
      namespace = Namespaces.check(ReducerOptions.NAMESPACE.flag(), ReducerOptions.NAMESPACE.variable(),
          values.text(ReducerOptions.NAMESPACE));
    } catch (ConfigException e) {
      throw new ReducerConfigException(e.getMessage(), e);
    }
    String group = ReducerGroups.given(values.text(ReducerOptions.GROUP), namespace, pipeline);
    KafkaClientSecurity security = KafkaClientSecurity.fromEnv(env, e -> new ReducerConfigException(e.getMessage(), e));
    return new ReducerConfig(values.text("--bootstrap-servers"), security, actions,
        values.text("--state-committed-topic"), values.text("--dlq-topic"), group, pipeline,
        values.text("--jdbc-url"), values.text("--db-user"), SecretText.withoutTrailingNewline(env.get("PGPASSWORD")),
        schema, reducerClass, machine,
        retry, Duration.ofSeconds(values.longValue("--dedup-ttl-seconds", 60, 365L * 24 * 3600)),
        values.integer("--max-records", 1, 50_000),
        values.integer("--transaction-actions", 1, 50_000),
        values.integer("--commit-target-ms", 0, 60_000),
        values.integer("--state-cache-keys", 0, 10_000_000),
        values.integer("--poll-timeout-ms", 1, 60_000),
        values.integer("--session-timeout-ms", 1000, 1_800_000),
        groupInstanceId(values.text("--group-instance-id")),
        values.bool("--outbox-relay"),
        values.integer("--outbox-poll-ms", 1, 60_000),
        Duration.ofSeconds(values.longValue("--outbox-retention-seconds", 0, 365L * 24 * 3600)),
        values.integer("--http-port", -1, 65_535));
  }

  /** Kafka accepts 1 to 249 characters of [a-zA-Z0-9._-] as a group.instance.id; a pod name always fits. */
  private static String groupInstanceId(String value) throws ReducerConfigException {
    if (!value.isEmpty() && !value.matches("^[a-zA-Z0-9._-]{1,249}$")) {
      throw new ReducerConfigException("invalid --group-instance-id '" + value
          + "': Kafka group instance ids use [a-zA-Z0-9._-], 1-249 characters; fix --group-instance-id or"
          + " REDUCER_GROUP_INSTANCE_ID");
    }
    return value;
  }

  @Override
  public String toString() {
    return "actions=" + actionsTopic + " stateCommitted=" + stateCommittedTopic + " dlq=" + dlqTopic + " group=" + group
        + " pipeline=" + pipeline + " bootstrap=" + bootstrapServers + " kafkaSecurity=" + kafkaSecurity
        + " jdbc=" + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***") + " user=" + dbUser + " schema=" + schema
        + " retry=" + retry
        + " dedupTtl=" + dedupTtl + " maxRecords=" + maxRecords + " transactionActions=" + transactionActions
        + " commitTargetMs=" + commitTargetMs + " stateCacheKeys=" + stateCacheKeys
        + " outboxRelay=" + outboxRelay + " sessionTimeoutMs=" + sessionTimeoutMs
        + (groupInstanceId.isEmpty() ? "" : " groupInstanceId=" + groupInstanceId)
        + " httpPort=" + httpPort;
  }
}
