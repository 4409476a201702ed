package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.cli.CommandOptions.Option;

/** Parsing of the {@code workloads reduce} settings from flags and environment variables. */
class ReducerConfigTest {

  private static final String PG_SECRET = "pg-S3cr3t-value";

  private static final Map<String, String> ENV = Map.of(
      "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
      "REDUCER_ACTIONS_TOPIC", "actions",
      "REDUCER_STATE_COMMITTED_TOPIC", "state-committed",
      "REDUCER_DLQ_TOPIC", "actions.dlq",
      "REDUCER_JDBC_URL", "jdbc:postgresql://db:5432/app",
      "PGUSER", "app",
      "PGPASSWORD", PG_SECRET);

  /** Every option of the command, flag and variable, as documented in docs/reducer.md. */
  private static final Map<String, String> FLAGS_AND_VARIABLES = Map.ofEntries(
      Map.entry("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS"),
      Map.entry("--actions-topic", "REDUCER_ACTIONS_TOPIC"),
      Map.entry("--state-committed-topic", "REDUCER_STATE_COMMITTED_TOPIC"),
      Map.entry("--dlq-topic", "REDUCER_DLQ_TOPIC"),
      Map.entry("--jdbc-url", "REDUCER_JDBC_URL"),
      Map.entry("--db-user", "PGUSER"),
      Map.entry("--schema", "REDUCER_SCHEMA"),
      Map.entry("--pipeline", "REDUCER_PIPELINE"),
      Map.entry("--namespace", "REDUCER_NAMESPACE"),
      Map.entry("--group", "REDUCER_GROUP"),
      Map.entry("--state-machine", "REDUCER_STATE_MACHINE"),
      Map.entry("--state-machine-file", "REDUCER_STATE_MACHINE_FILE"),
      Map.entry("--reducer-class", "REDUCER_CLASS"),
      Map.entry("--max-attempts", "REDUCER_MAX_ATTEMPTS"),
      Map.entry("--backoff-base-ms", "REDUCER_BACKOFF_BASE_MS"),
      Map.entry("--backoff-cap-ms", "REDUCER_BACKOFF_CAP_MS"),
      Map.entry("--dedup-ttl-seconds", "REDUCER_DEDUP_TTL_SECONDS"),
      Map.entry("--max-records", "REDUCER_MAX_RECORDS"),
      Map.entry("--transaction-actions", "REDUCER_TRANSACTION_ACTIONS"),
      Map.entry("--commit-target-ms", "REDUCER_COMMIT_TARGET_MS"),
      Map.entry("--state-cache-keys", "REDUCER_STATE_CACHE_KEYS"),
      Map.entry("--poll-timeout-ms", "REDUCER_POLL_TIMEOUT_MS"),
      Map.entry("--session-timeout-ms", "REDUCER_SESSION_TIMEOUT_MS"),
      Map.entry("--group-instance-id", "REDUCER_GROUP_INSTANCE_ID"),
      Map.entry("--outbox-relay", "REDUCER_OUTBOX_RELAY"),
      Map.entry("--outbox-poll-ms", "REDUCER_OUTBOX_POLL_MS"),
      Map.entry("--outbox-retention-seconds", "REDUCER_OUTBOX_RETENTION_SECONDS"),
      Map.entry("--http-port", "REDUCER_HTTP_PORT"));

  /** Exactly once ends at the reader: a read_uncommitted consumer would also see aborted replay transactions. */
  @Test
  void consumerReadsCommittedRecordsOnly() throws Exception {
    assertThat(ReducerLoop.consumerProperties(parse()))
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
  }

  /** A pod's name makes the reducer a static member, so a container restarted in place keeps its partitions. */
  @Test
  void aGroupInstanceIdMakesAStaticMember() throws Exception {
    assertThat(ReducerLoop.consumerProperties(parse())).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    ReducerConfig config = ReducerConfig.parse(List.of(), envWith("REDUCER_GROUP_INSTANCE_ID", "orders-reducer-5f7-x2"));
    assertThat(ReducerLoop.consumerProperties(config))
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "orders-reducer-5f7-x2")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    assertThatThrownBy(() -> parse("--group-instance-id", "a b"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("REDUCER_GROUP_INSTANCE_ID");
  }

  private static ReducerConfig parse(String... args) throws ReducerConfigException {
    return ReducerConfig.parse(List.of(args), ENV);
  }

  private static Map<String, String> envWith(String variable, String value) {
    Map<String, String> env = new HashMap<>(ENV);
    if (value == null) {
      env.remove(variable);
    } else {
      env.put(variable, value);
    }
    return env;
  }

  @Test
  void environmentAndDefaults() throws Exception {
    ReducerConfig config = parse();
    assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.actionsTopic()).isEqualTo("actions");
    assertThat(config.stateCommittedTopic()).isEqualTo("state-committed");
    assertThat(config.dlqTopic()).isEqualTo("actions.dlq");
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
    assertThat(config.dbUser()).isEqualTo("app");
    assertThat(config.dbPassword()).isEqualTo(PG_SECRET);
    assertThat(config.schema()).isEqualTo("public");
    assertThat(config.pipeline()).isEqualTo("reducer");
    assertThat(config.group()).isEqualTo("reducer.default.pipeline.reducer");
    assertThat(config.reducerClass()).isEmpty();
    assertThat(config.stateMachineJson()).isEmpty();
    assertThat(config.retry()).isEqualTo(new RetryPolicy(3, 10, 250));
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofSeconds(86_400));
    assertThat(config.maxRecords()).isEqualTo(1000);
    assertThat(config.transactionActions()).isEqualTo(175);
    assertThat(config.pollTimeoutMs()).isEqualTo(100);
    assertThat(config.sessionTimeoutMs()).isEqualTo(10_000);
    assertThat(config.groupInstanceId()).isEmpty();
    assertThat(config.outboxRelay()).isTrue();
    assertThat(config.outboxPollMs()).isEqualTo(50);
    assertThat(config.outboxRetention()).isEqualTo(Duration.ofSeconds(3600));
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.kafkaSecurity().toString()).isEqualTo("PLAINTEXT");
  }

  @Test
  void withoutPgpasswordThePasswordIsEmpty() throws Exception {
    assertThat(ReducerConfig.parse(List.of(), envWith("PGPASSWORD", null)).dbPassword()).isEmpty();
  }

  @Test
  void theGroupDefaultsToTheOperatorsGroupOfThePipeline() throws Exception {
    assertThat(parse("--pipeline", "orders").group()).isEqualTo("reducer.default.pipeline.orders");
    assertThat(parse("--pipeline", "orders", "--namespace", "shop").group()).isEqualTo("reducer.shop.pipeline.orders");
    assertThat(ReducerConfig.parse(List.of(), envWith("REDUCER_PIPELINE", "billing.v2")).group())
        .isEqualTo("reducer.default.pipeline.billing.v2");
    assertThat(parse("--pipeline", "orders", "--group", "custom").group()).isEqualTo("custom");
    assertThat(ReducerConfig.parse(List.of(), envWith("REDUCER_GROUP", "from-env")).group()).isEqualTo("from-env");
  }

  @Test
  void eachRequiredOptionNamesItsFlagAndVariable() {
    List<String> required = List.of("--bootstrap-servers", "--actions-topic", "--state-committed-topic",
        "--dlq-topic", "--jdbc-url", "--db-user");
    for (String flag : required) {
      String variable = FLAGS_AND_VARIABLES.get(flag);
      assertThatThrownBy(() -> ReducerConfig.parse(List.of(), envWith(variable, null)))
          .as(flag).isInstanceOf(ReducerConfigException.class)
          .hasMessageContaining("missing " + flag).hasMessageContaining(variable);
      assertThatThrownBy(() -> ReducerConfig.parse(List.of(), envWith(variable, "  ")))
          .as("blank %s counts as unset", variable).isInstanceOf(ReducerConfigException.class)
          .hasMessageContaining(variable);
    }
  }

  @Test
  void flagsOverrideTheEnvironment() throws Exception {
    Map<String, String> env = new HashMap<>(ENV);
    env.put("REDUCER_SCHEMA", "from_env");
    env.put("REDUCER_MAX_ATTEMPTS", "9");
    env.put("REDUCER_OUTBOX_RELAY", "false");
    ReducerConfig fromEnv = ReducerConfig.parse(List.of(), env);
    assertThat(fromEnv.schema()).isEqualTo("from_env");
    assertThat(fromEnv.retry().maxAttempts()).isEqualTo(9);
    assertThat(fromEnv.outboxRelay()).isFalse();

    ReducerConfig config = ReducerConfig.parse(List.of("--bootstrap-servers", "other:9093", "--actions-topic",
        "acts", "--schema", "canon", "--max-attempts", "5", "--outbox-relay", "true", "--http-port", "-1"), env);
    assertThat(config.bootstrapServers()).isEqualTo("other:9093");
    assertThat(config.actionsTopic()).isEqualTo("acts");
    assertThat(config.schema()).isEqualTo("canon");
    assertThat(config.retry().maxAttempts()).isEqualTo(5);
    assertThat(config.outboxRelay()).isTrue();
    assertThat(config.httpPort()).isEqualTo(-1);
  }

  @Test
  void flagEqualsValueForm() throws Exception {
    ReducerConfig config = parse("--dlq-topic=other.dlq", "--backoff-base-ms=20", "--backoff-cap-ms=400",
        "--dedup-ttl-seconds=3600", "--jdbc-url=jdbc:postgresql://db:5432/app?sslmode=require", "--outbox-relay=false");
    assertThat(config.dlqTopic()).isEqualTo("other.dlq");
    assertThat(config.retry()).isEqualTo(new RetryPolicy(3, 20, 400));
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?sslmode=require");
    assertThat(config.outboxRelay()).isFalse();
  }

  @Test
  void passwordsAreRefusedAsFlags() {
    for (List<String> args : List.of(List.of("--password", "hunter2"), List.of("--db-password", "hunter2"),
        List.of("--db-password=hunter2"))) {
      assertThatThrownBy(() -> ReducerConfig.parse(args, ENV))
          .as(args.toString()).isInstanceOf(ReducerConfigException.class)
          .hasMessageContaining("PGPASSWORD").hasMessageNotContaining("hunter2");
    }
  }

  @Test
  void unknownOptionsAreRefused() {
    assertThatThrownBy(() -> parse("--topic", "actions"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("unknown option: --topic");
    assertThatThrownBy(() -> parse("--max-attempts", "3", "extra"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("extra");
  }

  @Test
  void retryBounds() throws Exception {
    assertThatThrownBy(() -> parse("--max-attempts", "0"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--max-attempts").hasMessageContaining("0");
    assertThatThrownBy(() -> parse("--max-attempts", "-1"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--max-attempts");
    assertThatThrownBy(() -> parse("--max-attempts", "three"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--max-attempts");
    assertThat(parse("--max-attempts", "1").retry().maxAttempts()).isEqualTo(1);

    assertThatThrownBy(() -> parse("--backoff-base-ms", "100", "--backoff-cap-ms", "99"))
        .isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--backoff-cap-ms").hasMessageContaining("--backoff-base-ms")
        .hasMessageContaining("99").hasMessageContaining("100");
    assertThatThrownBy(() -> parse("--backoff-base-ms", "300"))
        .as("a base above the default cap").isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--backoff-cap-ms");
    assertThat(parse("--backoff-base-ms", "100", "--backoff-cap-ms", "100").retry())
        .isEqualTo(new RetryPolicy(3, 100, 100));
    assertThat(parse("--backoff-base-ms", "0", "--backoff-cap-ms", "0").retry())
        .isEqualTo(new RetryPolicy(3, 0, 0));
    assertThatThrownBy(() -> parse("--backoff-base-ms", "-1"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--backoff-base-ms");
  }

  @Test
  void otherBounds() throws Exception {
    assertThatThrownBy(() -> parse("--dedup-ttl-seconds", "59"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--dedup-ttl-seconds");
    assertThat(parse("--dedup-ttl-seconds", "60").dedupTtl()).isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(() -> parse("--max-records", "0"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--max-records");
    assertThatThrownBy(() -> parse("--transaction-actions", "0"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--transaction-actions");
    assertThat(parse("--transaction-actions", "1").transactionActions()).isEqualTo(1);
    assertThat(parse().commitTargetMs()).isEqualTo(8);
    assertThat(parse("--commit-target-ms", "0").commitTargetMs()).isZero();
    assertThatThrownBy(() -> parse("--commit-target-ms", "-1"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--commit-target-ms");
    assertThat(parse().stateCacheKeys()).isEqualTo(100_000);
    assertThat(parse("--state-cache-keys", "0").stateCacheKeys()).isZero();
    assertThatThrownBy(() -> parse("--state-cache-keys", "-1"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--state-cache-keys");
    assertThatThrownBy(() -> parse("--http-port", "-2"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--http-port");
    assertThatThrownBy(() -> parse("--http-port", "65536"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--http-port");
    assertThatThrownBy(() -> parse("--outbox-relay", "yes"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--outbox-relay");
    assertThat(parse("--http-port", "0").httpPort()).isZero();
  }

  @Test
  void anInvalidSchemaIsRefused() {
    for (String schema : List.of("Public", "9lives", "a-b", "x;drop table y", "s\"x", "a".repeat(64))) {
      assertThatThrownBy(() -> parse("--schema", schema))
          .as(schema).isInstanceOf(ReducerConfigException.class)
          .hasMessageContaining("--schema").hasMessageContaining("REDUCER_SCHEMA");
    }
  }

  @Test
  void anInvalidPipelineIsRefused() {
    for (String pipeline : List.of("Orders", "-orders", "orders-", "a_b", "a b")) {
      assertThatThrownBy(() -> parse("--pipeline", pipeline))
          .as(pipeline).isInstanceOf(ReducerConfigException.class).hasMessageContaining("--pipeline");
    }
  }

  @Test
  void anInvalidNamespaceIsRefusedNamingTheFlagAndVariable() {
    assertThatThrownBy(() -> parse("--namespace", "Shop_1"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--namespace 'Shop_1'")
        .hasMessageContaining("REDUCER_NAMESPACE");
  }

  @Test
  void anInvalidTopicNameIsRefused() throws Exception {
    for (String flag : List.of("--actions-topic", "--state-committed-topic", "--dlq-topic")) {
      for (String topic : List.of("has space", "a/b", "t\u00e9", "x".repeat(250), "a:b", ".", "..")) {
        assertThatThrownBy(() -> parse(flag, topic))
            .as(flag + " " + topic).isInstanceOf(ReducerConfigException.class)
            .hasMessageContaining("invalid " + flag);
      }
    }
    assertThat(parse("--actions-topic", "x".repeat(249)).actionsTopic()).hasSize(249);
    assertThat(parse("--actions-topic", "My_Actions.v-2").actionsTopic()).isEqualTo("My_Actions.v-2");
  }

  @Test
  void theActionsTopicMustDifferFromTheOutputTopics() {
    assertThatThrownBy(() -> parse("--actions-topic", "state-committed"))
        .isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--actions-topic").hasMessageContaining("--state-committed-topic");
    assertThatThrownBy(() -> parse("--actions-topic", "actions.dlq"))
        .isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--actions-topic").hasMessageContaining("--dlq-topic");
    assertThatThrownBy(() -> parse("--dlq-topic", "actions"))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("--actions-topic");
  }

  @Test
  void onlyPostgresJdbcUrlsAreAccepted() {
    for (String url : List.of("jdbc:mysql://db:3306/app", "postgresql://db:5432/app", "jdbc:postgres://db/app",
        "jdbc:h2:mem:app")) {
      assertThatThrownBy(() -> parse("--jdbc-url", url))
          .as(url).isInstanceOf(ReducerConfigException.class)
          .hasMessageContaining("--jdbc-url").hasMessageContaining("jdbc:postgresql:");
    }
  }

  @Test
  void theStateMachineIsGivenOnce(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("machine.json"), "{\"states\":[]}");
    assertThatThrownBy(() -> parse("--state-machine", "{}", "--state-machine-file", file.toString()))
        .isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--state-machine").hasMessageContaining("--state-machine-file");
    assertThatThrownBy(() -> ReducerConfig.parse(List.of("--state-machine-file", file.toString()),
        envWith("REDUCER_STATE_MACHINE", "{}")))
        .as("the variable counts like the flag").isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--state-machine-file");
    assertThatThrownBy(() -> parse("--state-machine", "{}", "--reducer-class", "com.example.MyReducer"))
        .isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--state-machine").hasMessageContaining("--reducer-class");
    assertThatThrownBy(() -> parse("--state-machine-file", file.toString(), "--reducer-class", "com.example.R"))
        .as("a file-given machine conflicts with a reducer class too").isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--reducer-class");
    ReducerConfig custom = parse("--reducer-class", "com.example.MyReducer");
    assertThat(custom.reducerClass()).isEqualTo("com.example.MyReducer");
    assertThat(custom.stateMachineJson()).isEmpty();
    assertThat(parse("--state-machine", "{\"a\":1}").stateMachineJson()).isEqualTo("{\"a\":1}");
  }

  @Test
  void theStateMachineFileIsRead(@TempDir Path dir) throws Exception {
    String json = "{\"states\":[\"A\",\"B\"],\n \"initialState\":\"A\",\n \"transitions\":[]}\n";
    Path file = Files.writeString(dir.resolve("machine.json"), json);
    assertThat(parse("--state-machine-file", file.toString()).stateMachineJson()).isEqualTo(json);
    assertThat(ReducerConfig.parse(List.of(), envWith("REDUCER_STATE_MACHINE_FILE", file.toString()))
        .stateMachineJson()).isEqualTo(json);
    Path empty = Files.writeString(dir.resolve("empty.json"), "\n");
    assertThatThrownBy(() -> parse("--state-machine-file", empty.toString()))
        .isInstanceOf(ReducerConfigException.class).hasMessageContaining("is empty");
    Path missing = dir.resolve("absent.json");
    assertThatThrownBy(() -> parse("--state-machine-file", missing.toString()))
        .isInstanceOf(ReducerConfigException.class)
        .hasMessageContaining("--state-machine-file").hasMessageContaining(missing.toString());
  }

  @Test
  void toStringNeverShowsSecrets() throws Exception {
    Map<String, String> env = new HashMap<>(ENV);
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("KAFKA_SASL_USERNAME", "kafka-user-name");
    env.put("KAFKA_SASL_PASSWORD", "kafka-S3cr3t-value");
    ReducerConfig config = ReducerConfig.parse(List.of("--pipeline", "orders"), env);
    assertThat(config.dbPassword()).isEqualTo(PG_SECRET);
    assertThat(config.toString())
        .contains("actions").contains("reducer.default.pipeline.orders").contains("jdbc:postgresql://db:5432/app")
        .doesNotContain(PG_SECRET).doesNotContain("kafka-S3cr3t-value");
    assertThat(parse().toString()).doesNotContain(PG_SECRET);
    assertThat(parse("--jdbc-url", "jdbc:postgresql://db/app?user=u&password=in-url-secret&ssl=true").toString())
        .doesNotContain("in-url-secret").contains("ssl=true");
  }

  @Test
  void usageListsEveryOption() throws Exception {
    String usage = ReducerConfig.usage();
    for (Map.Entry<String, String> option : FLAGS_AND_VARIABLES.entrySet()) {
      assertThat(usage).as(option.getKey()).contains(option.getKey()).contains(option.getValue());
    }
    for (String variable : List.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME",
        "KAFKA_SASL_PASSWORD", "KAFKA_TLS_CA", "KAFKA_TLS_CERTIFICATE", "KAFKA_TLS_PRIVATE_KEY")) {
      assertThat(usage).contains(variable);
    }
    assertThat(usage).contains("PGPASSWORD");
    List<String> declared = new ArrayList<>();
    for (Option option : ReducerOptions.OPTIONS.options()) {
      declared.add(option.flag());
    }
    assertThat(declared).as("the parser knows exactly the documented options")
        .containsExactlyInAnyOrderElementsOf(FLAGS_AND_VARIABLES.keySet());
  }
}
