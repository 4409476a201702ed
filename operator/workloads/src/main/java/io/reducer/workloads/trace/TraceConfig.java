package io.reducer.workloads.trace;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.materializer.Identifiers;

/**
 * Settings of {@code workloads trace} ({@link TraceOptions}). No secret is in {@link #toString()}.
 *
 * @param topics every topic to search, in the order given (actions, state-committed, DLQ, then the others), with
 *     what it is to the pipeline
 * @param jdbcUrl the canonical store; null = read no table
 * @param projectionSchema with projectionTable, the table that says whether a version was materialized
 * @param json print one JSON document instead of text
 * @param terminationLog where the JSON result goes; null = nowhere
 */
record TraceConfig(
    String correlationId,
    String bootstrapServers,
    KafkaClientSecurity kafkaSecurity,
    Map<String, TopicRole> topics,
    TimeWindow window,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String schema,
    String projectionSchema,
    String projectionTable,
    boolean json,
    Path terminationLog) {

  private static final Pattern TOPIC = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

  static TraceConfig parse(List<String> args, Map<String, String> env, Instant now) throws TraceConfigException {
    CommandOptions<TraceConfigException>.Values values = TraceOptions.OPTIONS.parse(TraceOptions.normalize(args), env);
    String correlationId = values.text(TraceOptions.CORRELATION_ID_FLAG);
    Map<String, TopicRole> topics = new LinkedHashMap<>();
    addTopic(topics, TraceOptions.ACTIONS_TOPIC_FLAG, values.text(TraceOptions.ACTIONS_TOPIC_FLAG), TopicRole.ACTIONS);
    addTopic(topics, TraceOptions.STATE_COMMITTED_TOPIC_FLAG, values.text(TraceOptions.STATE_COMMITTED_TOPIC_FLAG),
        TopicRole.STATE_COMMITTED);
    addTopic(topics, TraceOptions.DLQ_TOPIC_FLAG, values.text(TraceOptions.DLQ_TOPIC_FLAG), TopicRole.DLQ);
    for (String topic : values.text(TraceOptions.TOPICS_FLAG).split(",")) {
      addTopic(topics, TraceOptions.TOPICS_FLAG, topic.trim(), TopicRole.OTHER);
    }
    if (topics.isEmpty()) {
      throw new TraceConfigException("no topic to search: give at least one of " + TraceOptions.ACTIONS_TOPIC_FLAG
          + ", " + TraceOptions.STATE_COMMITTED_TOPIC_FLAG + ", " + TraceOptions.DLQ_TOPIC_FLAG + " or "
          + TraceOptions.TOPICS_FLAG + " (or " + TraceOptions.ACTIONS_TOPIC_ENV + ", ...)");
    }
    TimeWindow window = TimeWindow.parse(values.text(TraceOptions.SINCE_FLAG), values.text(TraceOptions.UNTIL_FLAG),
        now);

    String jdbcUrl = values.text(TraceOptions.JDBC_URL_FLAG);
    String dbUser = values.text(TraceOptions.DB_USER_FLAG);
    if (jdbcUrl.isEmpty()) {
      jdbcUrl = null;
    } else {
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new TraceConfigException(TraceOptions.JDBC_URL_FLAG
            + " must start with jdbc:postgresql:, e.g. jdbc:postgresql://db:5432/orders");
      }
      if (dbUser.isEmpty()) {
        throw new TraceConfigException("missing " + TraceOptions.DB_USER_FLAG + " for " + TraceOptions.JDBC_URL_FLAG
            + ": pass " + TraceOptions.DB_USER_FLAG + " <user> or set " + TraceOptions.DB_USER_ENV);
      }
    }
    String schema = identifier(TraceOptions.SCHEMA_FLAG, values.text(TraceOptions.SCHEMA_FLAG));
    String projection = values.text(TraceOptions.PROJECTION_TABLE_FLAG);
    String projectionSchema = schema;
    if (projection.contains(".")) {
      int dot = projection.indexOf('.');
      projectionSchema = identifier(TraceOptions.PROJECTION_TABLE_FLAG, projection.substring(0, dot));
      projection = projection.substring(dot + 1);
    }
    projection = identifier(TraceOptions.PROJECTION_TABLE_FLAG, projection);

    String output = values.text(TraceOptions.OUTPUT_FLAG);
    if (!output.equals("text") && !output.equals("json")) {
      throw new TraceConfigException("invalid " + TraceOptions.OUTPUT_FLAG + " '" + output + "': use text or json");
    }
    String terminationLog = values.text(TraceOptions.TERMINATION_LOG_FLAG);
    KafkaClientSecurity security = KafkaClientSecurity.fromEnv(env, e -> new TraceConfigException(e.getMessage(), e));
    return new TraceConfig(correlationId, values.text(TraceOptions.BOOTSTRAP_SERVERS_FLAG), security, topics, window,
        jdbcUrl, dbUser, SecretText.withoutTrailingNewline(env.get(TraceOptions.DB_PASSWORD_ENV)), schema,
        projectionSchema, projection, output.equals("json"),
        TerminationMessage.path(terminationLog.isEmpty() ? null : terminationLog));
  }

  /** Whether the options ask for JSON output, read without parsing them (for a result of a failed parse). */
  static boolean wantsJson(List<String> args, Map<String, String> env) {
    String value = CommandOptions.rawValue(TraceOptions.normalize(args), TraceOptions.OUTPUT_FLAG,
        env.get(TraceOptions.OUTPUT_ENV));
    return value != null && value.trim().equals("json");
  }

  boolean hasDatabase() {
    return jdbcUrl != null;
  }

  /** Whether a topic of that role is searched. */
  boolean searches(TopicRole role) {
    return topics.containsValue(role);
  }

  private static void addTopic(Map<String, TopicRole> topics, String flag, String topic, TopicRole role)
      throws TraceConfigException {
    if (topic.isEmpty()) {
      return;
    }
    if (!TOPIC.matcher(topic).matches() || topic.matches("\\.{1,2}")) {
      throw new TraceConfigException("invalid " + flag + " '" + topic
          + "': Kafka topic names use [a-zA-Z0-9._-], 1-249 characters");
    }
    TopicRole before = topics.putIfAbsent(topic, role);
    if (before != null) {
      throw new TraceConfigException("topic " + topic + " is given twice (as " + before.entryType() + " and "
          + role.entryType() + " topic): give each topic once");
    }
  }

  private static String identifier(String flag, String name) throws TraceConfigException {
    if (!Identifiers.isValid(name)) {
      throw new TraceConfigException("invalid " + flag + " '" + name + "': it must match " + Identifiers.PATTERN_TEXT);
    }
    return name;
  }

  @Override
  public String toString() {
    return "correlationId=" + correlationId + " topics=" + topics + " window=" + window + " bootstrap="
        + bootstrapServers + " kafkaSecurity=" + kafkaSecurity + " jdbcUrl=" + jdbcUrl + " dbUser=" + dbUser
        + " schema=" + schema + " projection=" + projectionSchema + "." + projectionTable + " json=" + json
        + " terminationLog=" + terminationLog;
  }
}
