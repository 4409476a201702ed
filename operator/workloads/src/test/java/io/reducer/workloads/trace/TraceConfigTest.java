package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.dlq.TerminationMessage;

class TraceConfigTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void everyOptionComesFromItsVariableAsTheJobSetsThem() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put(TraceOptions.CORRELATION_ID_ENV, "c-1");
    env.put(TraceOptions.BOOTSTRAP_SERVERS_ENV, "kafka:9092");
    env.put(TraceOptions.ACTIONS_TOPIC_ENV, "orders.actions");
    env.put(TraceOptions.STATE_COMMITTED_TOPIC_ENV, "orders.state-committed");
    env.put(TraceOptions.DLQ_TOPIC_ENV, "orders.dlq");
    env.put(TraceOptions.TOPICS_ENV, "audit.v1, billing.v1");
    env.put(TraceOptions.SINCE_ENV, "2d");
    env.put(TraceOptions.UNTIL_ENV, "2026-12-04T11:00:00Z");
    env.put(TraceOptions.JDBC_URL_ENV, "jdbc:postgresql://db:5432/orders");
    env.put(TraceOptions.DB_USER_ENV, "reducer");
    env.put(TraceOptions.DB_PASSWORD_ENV, "s3cret\n");
    env.put(TraceOptions.SCHEMA_ENV, "orders");
    env.put(TraceOptions.PROJECTION_TABLE_ENV, "views.orders_view");
    env.put(TraceOptions.OUTPUT_ENV, "json");
    env.put(TraceOptions.TERMINATION_LOG_ENV, "/tmp/trace.json");

    TraceConfig config = TraceConfig.parse(List.of(), env, NOW);

    assertThat(config.correlationId()).isEqualTo("c-1");
    assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.topics()).containsExactly(Map.entry("orders.actions", TopicRole.ACTIONS),
        Map.entry("orders.state-committed", TopicRole.STATE_COMMITTED), Map.entry("orders.dlq", TopicRole.DLQ),
        Map.entry("audit.v1", TopicRole.OTHER), Map.entry("billing.v1", TopicRole.OTHER));
    assertThat(config.window()).isEqualTo(new TimeWindow(Instant.parse("2026-12-02T12:00:00Z"),
        Instant.parse("2026-12-04T11:00:00Z")));
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/orders");
    assertThat(config.dbUser()).isEqualTo("reducer");
    assertThat(config.dbPassword()).isEqualTo("s3cret");
    assertThat(config.schema()).isEqualTo("orders");
    assertThat(config.projectionSchema()).isEqualTo("views");
    assertThat(config.projectionTable()).isEqualTo("orders_view");
    assertThat(config.json()).isTrue();
    assertThat(config.terminationLog()).isEqualTo(Path.of("/tmp/trace.json"));
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void flagsWinAndTheDefaultsAreAnHourWithoutDatabase() throws Exception {
    TraceConfig config = TraceConfig.parse(List.of("--correlation-id", "c-2", "--bootstrap-servers=k:9092",
        "--topic", "a.v1", "--topic=b.v1,c.v1", "-o", "json"), Map.of(TraceOptions.CORRELATION_ID_ENV, "ignored"), NOW);
    assertThat(config.correlationId()).isEqualTo("c-2");
    assertThat(config.topics()).containsOnlyKeys("a.v1", "b.v1", "c.v1");
    assertThat(config.window()).isEqualTo(new TimeWindow(Instant.parse("2026-12-04T11:00:00Z"), null));
    assertThat(config.hasDatabase()).isFalse();
    assertThat(config.schema()).isEqualTo("public");
    assertThat(config.projectionSchema()).isEqualTo("public");
    assertThat(config.projectionTable()).isEqualTo("workflow_projection");
    assertThat(config.json()).isTrue();
    assertThat(TraceConfig.parse(List.of("--correlation-id", "c", "--bootstrap-servers", "k", "--topic", "a",
        "-ojson"), Map.of(), NOW).json()).isTrue();
    assertThat(TraceConfig.parse(List.of("--correlation-id", "c", "--bootstrap-servers", "k", "--topic", "a",
        "-o=text"), Map.of(), NOW).json()).isFalse();
  }

  @Test
  void refusalsSayWhatToFix() {
    Map<String, String> base = Map.of(TraceOptions.BOOTSTRAP_SERVERS_ENV, "k:9092",
        TraceOptions.CORRELATION_ID_ENV, "c");
    assertThatThrownBy(() -> TraceConfig.parse(List.of(), base, NOW)).isInstanceOf(TraceConfigException.class)
        .hasMessageContaining("no topic to search").hasMessageContaining("--actions-topic");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a"), Map.of(TraceOptions.BOOTSTRAP_SERVERS_ENV,
        "k"), NOW)).hasMessageContaining("missing --correlation-id").hasMessageContaining("TRACE_CORRELATION_ID");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--actions-topic", "a", "--topic", "a"), base, NOW))
        .hasMessageContaining("topic a is given twice");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a b"), base, NOW))
        .hasMessageContaining("invalid --topic 'a b'");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a", "--password", "x"), base, NOW))
        .hasMessageContaining("PGPASSWORD");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a", "--jdbc-url", "jdbc:postgresql://db/x"), base,
        NOW)).hasMessageContaining("missing --db-user").hasMessageContaining("PGUSER");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a", "--jdbc-url", "postgres://db/x", "--db-user",
        "u"), base, NOW)).hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a", "--schema", "Bad-Name"), base, NOW))
        .hasMessageContaining("invalid --schema");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a", "-o", "yaml"), base, NOW))
        .hasMessageContaining("use text or json");
    assertThatThrownBy(() -> TraceConfig.parse(List.of("--topic", "a", "--since", "soon"), base, NOW))
        .hasMessageContaining("invalid --since");
  }

  @Test
  void theOutputAndTerminationLogAreFoundEvenWhenTheRestCannotBeParsed() {
    assertThat(TraceConfig.wantsJson(List.of("--bogus", "-o", "json"), Map.of())).isTrue();
    assertThat(TraceConfig.wantsJson(List.of(), Map.of(TraceOptions.OUTPUT_ENV, "json"))).isTrue();
    assertThat(TraceConfig.wantsJson(List.of("--output=text"), Map.of(TraceOptions.OUTPUT_ENV, "json"))).isFalse();
    assertThat(TerminationMessage.path(List.of("--bogus", "--termination-log", "/tmp/x"), Map.of()))
        .isEqualTo(Path.of("/tmp/x"));
    assertThat(TerminationMessage.path(List.of(), Map.of(TraceOptions.TERMINATION_LOG_ENV, "/tmp/y")))
        .isEqualTo(Path.of("/tmp/y"));
  }

  @Test
  void theUsageListsEveryVariableAndTheExitCodes() {
    String usage = TraceOptions.usage();
    for (String variable : List.of(TraceOptions.CORRELATION_ID_ENV, TraceOptions.SINCE_ENV, TraceOptions.UNTIL_ENV,
        TraceOptions.ACTIONS_TOPIC_ENV, TraceOptions.STATE_COMMITTED_TOPIC_ENV, TraceOptions.DLQ_TOPIC_ENV,
        TraceOptions.TOPICS_ENV, TraceOptions.JDBC_URL_ENV, TraceOptions.DB_USER_ENV, TraceOptions.OUTPUT_ENV,
        TraceOptions.TERMINATION_LOG_ENV, "KAFKA_SASL_PASSWORD")) {
      assertThat(usage).contains(variable);
    }
    assertThat(usage).contains("exit codes: 0 records found, 5 nothing carries the id in the window");
  }
}
