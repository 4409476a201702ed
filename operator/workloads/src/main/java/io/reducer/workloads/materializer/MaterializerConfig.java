package io.reducer.workloads.materializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.kafka.KafkaClientSecurity;

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
    int httpPort) {

  /** Flag, environment variable, default (null = required), description; the order of the usage text. */
  static final List<String[]> OPTIONS = List.of(
      new String[] {"--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null, "Kafka bootstrap servers"},
      new String[] {"--topic", "MATERIALIZER_TOPIC", null, "state-committed topic to read"},
      new String[] {"--dlq-topic", "MATERIALIZER_DLQ_TOPIC", null, "dead-letter topic for poison records"},
      new String[] {"--jdbc-url", "MATERIALIZER_JDBC_URL", null, "PostgreSQL JDBC URL"},
      new String[] {"--db-user", "PGUSER", null, "PostgreSQL user (password: PGPASSWORD, environment only)"},
      new String[] {"--table", "MATERIALIZER_TABLE", "workflow_projection", "projection table"},
      new String[] {"--schema", "MATERIALIZER_SCHEMA", "public", "schema of the projection and watermark tables"},
      new String[] {"--projection", "MATERIALIZER_PROJECTION", "", "projection name in projection_watermarks (default: the table)"},
      new String[] {"--namespace", "MATERIALIZER_NAMESPACE", Namespaces.DEFAULT,
          "Kubernetes namespace of the projection: part of the watermark key and of the table's owner"},
      new String[] {"--projection-uid", "MATERIALIZER_PROJECTION_UID", "",
          "uid of the Projection, recorded with the table's owner (information only)"},
      new String[] {"--group", "MATERIALIZER_GROUP", "", "consumer group (default: reducer-materializer-<projection>)"},
      new String[] {"--max-records", "MATERIALIZER_MAX_RECORDS", "500", "max records per poll"},
      new String[] {"--poll-timeout-ms", "MATERIALIZER_POLL_TIMEOUT_MS", "100", "poll timeout in ms"},
      new String[] {"--session-timeout-ms", "MATERIALIZER_SESSION_TIMEOUT_MS", "10000",
          "consumer group session timeout in ms (how fast a crashed instance's partitions move)"},
      new String[] {"--group-instance-id", "MATERIALIZER_GROUP_INSTANCE_ID", "",
          "static group member id (Kafka group.instance.id; the operator passes the pod's name): a process restarted"
              + " under the same id takes its partitions back at once (default: a dynamic member)"},
      new String[] {"--idle-transaction-timeout-ms", "MATERIALIZER_IDLE_TRANSACTION_TIMEOUT_MS", "45000",
          "PostgreSQL ends a session of this process idle inside a transaction this long (a frozen process or a lost"
              + " node), releasing its row locks; above the DLQ's 30 s delivery timeout"},
      new String[] {"--http-port", "MATERIALIZER_HTTP_PORT", "8080", "HTTP port; 0 = any free port (printed), -1 = off"});

  private static final Pattern TOPIC = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

  /** The Projection this materializer writes for, as it claims the table. */
  public TableOwner owner() {
    return TableOwner.of(namespace, projection, projectionUid);
  }

  public MaterializerConfig {
    if (dbPassword == null) {
      dbPassword = "";
    }
  }

  public static String usage() {
    StringBuilder text = new StringBuilder("usage: workloads materialize [options]\n\noptions (flag, or environment variable):\n");
    for (String[] option : OPTIONS) {
      text.append(String.format("  %-20s %-32s %s%s%n", option[0], option[1], option[3],
          option[2] == null ? " (required)" : option[2].isEmpty() ? "" : " (default " + option[2] + ")"));
    }
    text.append('\n').append(KafkaClientSecurity.usage());
    return text.toString();
  }

  /** Parses {@code --flag value} and {@code --flag=value}; throws with a message that names the fix. */
  public static MaterializerConfig parse(List<String> args, Map<String, String> env) throws ConfigException {
    Map<String, String> flags = flags(args);
    Map<String, String> values = new HashMap<>();
    for (String[] option : OPTIONS) {
      String value = flags.containsKey(option[0]) ? flags.get(option[0]) : env.get(option[1]);
      if (value == null || value.isBlank()) {
        if (option[2] == null) {
          throw new ConfigException("missing " + option[0] + ": pass " + option[0] + " <value> or set " + option[1]);
        }
        value = option[2];
      }
      values.put(option[0], value.trim());
    }
    String table = values.get("--table");
    String schema = values.get("--schema");
    checkIdentifier("--table", "MATERIALIZER_TABLE", table);
    ReservedTables.check("--table", "MATERIALIZER_TABLE", table);
    checkIdentifier("--schema", "MATERIALIZER_SCHEMA", schema);
    String projection = values.get("--projection").isEmpty() ? table : values.get("--projection");
    if (projection.length() > ShadowNames.maxProjectionLength(projection)) {
      throw new ConfigException("--projection is longer than " + ShadowNames.MAX_PROJECTION_LENGTH
          + " characters: use the Projection's name (a shadow rebuild's may add " + ShadowNames.IDENTITY_MARKER
          + "<rebuild id>)");
    }
    String namespace = Namespaces.check("--namespace", "MATERIALIZER_NAMESPACE", values.get("--namespace"));
    String group = values.get("--group").isEmpty() ? "reducer-materializer-" + projection : values.get("--group");
    checkTopic("--topic", values.get("--topic"));
    checkTopic("--dlq-topic", values.get("--dlq-topic"));
    if (values.get("--topic").equals(values.get("--dlq-topic"))) {
      throw new ConfigException("--dlq-topic must differ from --topic: poison records would be read again");
    }
    if (!values.get("--jdbc-url").startsWith("jdbc:postgresql:")) {
      throw new ConfigException("--jdbc-url must start with jdbc:postgresql:, e.g. jdbc:postgresql://db:5432/app");
    }
    KafkaClientSecurity kafkaSecurity = KafkaClientSecurity.fromEnv(env, e -> new ConfigException(e.getMessage(), e));
    return new MaterializerConfig(values.get("--bootstrap-servers"), kafkaSecurity, values.get("--topic"), group,
        namespace, projection, values.get("--projection-uid"), values.get("--dlq-topic"), values.get("--jdbc-url"), values.get("--db-user"),
        SecretText.withoutTrailingNewline(env.get("PGPASSWORD")),
        schema, table,
        integer(values, "--max-records", 1, 100_000),
        integer(values, "--poll-timeout-ms", 1, 60_000),
        integer(values, "--session-timeout-ms", 1000, 1_800_000),
        groupInstanceId(values.get("--group-instance-id")),
        integer(values, "--idle-transaction-timeout-ms", 1000, 3_600_000),
        integer(values, "--http-port", -1, 65_535));
  }

  @Override
  public String toString() {
    return "topic=" + topic + " group=" + group + " namespace=" + namespace + " projection=" + projection + " dlq=" + dlqTopic
        + " bootstrap=" + bootstrapServers + " kafkaSecurity=" + kafkaSecurity + " jdbc=" + jdbcUrl + " user=" + dbUser
        + " table=" + schema + "." + table + " maxRecords=" + maxRecords + " pollTimeoutMs=" + pollTimeoutMs
        + " sessionTimeoutMs=" + sessionTimeoutMs
        + (groupInstanceId.isEmpty() ? "" : " groupInstanceId=" + groupInstanceId)
        + " idleTransactionTimeoutMs=" + idleTransactionTimeoutMs + " httpPort=" + httpPort;
  }

  private static Map<String, String> flags(List<String> args) throws ConfigException {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (name.equals("--password") || name.equals("--db-password")) {
        throw new ConfigException("passwords are not accepted as flags: set PGPASSWORD in the environment");
      }
      if (OPTIONS.stream().noneMatch(option -> option[0].equals(name))) {
        throw new ConfigException("unknown option: " + name + " (see --help)");
      }
      if (arg.contains("=")) {
        flags.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.size()) {
        flags.put(name, args.get(++i));
      } else {
        throw new ConfigException("option " + name + " needs a value");
      }
    }
    return flags;
  }

  private static void checkIdentifier(String flag, String variable, String value) throws ConfigException {
    if (!Identifiers.isValid(value)) {
      throw new ConfigException("invalid " + flag + " '" + value + "': it must match " + Identifiers.PATTERN_TEXT
          + " (lower-case letters, digits and _, at most 63 characters); fix " + flag + " or " + variable);
    }
  }

  private static void checkTopic(String flag, String value) throws ConfigException {
    if (!TOPIC.matcher(value).matches()) {
      throw new ConfigException("invalid " + flag + " '" + value + "': Kafka topic names use [a-zA-Z0-9._-], 1-249 characters");
    }
  }

  /** Kafka accepts 1 to 249 characters of [a-zA-Z0-9._-] as a group.instance.id; a pod name always fits. */
  static String groupInstanceId(String value) throws ConfigException {
    if (!value.isEmpty() && !TOPIC.matcher(value).matches()) {
      throw new ConfigException("invalid --group-instance-id '" + value
          + "': Kafka group instance ids use [a-zA-Z0-9._-], 1-249 characters; fix --group-instance-id or"
          + " MATERIALIZER_GROUP_INSTANCE_ID");
    }
    return value;
  }

  private static int integer(Map<String, String> values, String flag, int min, int max) throws ConfigException {
    String text = values.get(flag);
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new ConfigException(flag + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(flag + " must be an integer, got '" + text + "'");
    }
  }
}
