package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.Main;
import io.reducer.workloads.materializer.InProcessMaterializer;
import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.reducer.ReduceCommand;
import io.reducer.workloads.reducer.ReducerConfig;
import io.reducer.workloads.reducer.ReducerProcess;
import io.reducer.workloads.trace.Verdict.Status;

/**
 * The trace against a real broker and PostgreSQL, on what the real reducer and materializer wrote: an id that went
 * through the actions topic, the history, state-committed, the DLQ and the projection; ids nobody carries in the
 * window; a missing topic; missing tables; and the JSON output of a separate JVM, stdout and stderr apart.
 */
class TraceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACTIONS = "trace.actions";
  private static final String STATE_COMMITTED = "trace.state-committed";
  private static final String DLQ = "trace.dlq";
  private static final String EVENTS = "trace.runbook-events";
  private static final String SCHEMA = "trace_store";
  private static final String PROJECTION = "trace_view";
  private static TestCluster cluster;

  @TempDir
  Path directory;

  @BeforeAll
  static void runThePipeline() throws Exception {
    cluster = new TestCluster();
    cluster.broker.createTopic(ACTIONS, 3);
    cluster.broker.createTopic(STATE_COMMITTED, 3);
    cluster.broker.createTopic(DLQ, 1);
    cluster.broker.createTopic(STATE_COMMITTED + ".dlq", 1);
    cluster.broker.createTopic(EVENTS, 1);
    cluster.execute("CREATE SCHEMA " + SCHEMA);

    long threeHoursAgo = Instant.now().minus(Duration.ofHours(3)).toEpochMilli();
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      List<Future<?>> acks = new ArrayList<>();
      acks.add(producer.send(new ProducerRecord<>(ACTIONS, "order-1", action("a-1", "order-1", "PENDING",
          "corr-flow"))));
      // The header only, as the runbooks' kafka-console-producer --property correlation-id=... sends it.
      ProducerRecord<String, String> headerOnly = new ProducerRecord<>(ACTIONS, "order-1",
          "{\"action_id\":\"a-2\",\"workflow_key\":\"order-1\",\"action\":\"PROCESSING\"}");
      headerOnly.headers().add(CorrelationMatcher.HEADER, "corr-flow".getBytes(StandardCharsets.UTF_8));
      acks.add(producer.send(headerOnly));
      // PROCESSING -> PENDING is not a transition: rejected into the DLQ as INVALID_TRANSITION.
      acks.add(producer.send(new ProducerRecord<>(ACTIONS, "order-1", action("a-3", "order-1", "PENDING",
          "corr-flow"))));
      acks.add(producer.send(new ProducerRecord<>(ACTIONS, "order-2", action("b-1", "order-2", "PENDING",
          "corr-other"))));
      acks.add(producer.send(new ProducerRecord<>(EVENTS, 0, null, "order-1",
          "{\"event_type\":\"ORDER_SHIPPED\",\"payload\":{\"correlation_id\":\"corr-flow\",\"carrier\":\"dhl\"}}")));
      acks.add(producer.send(new ProducerRecord<>(EVENTS, 0, threeHoursAgo, "order-1",
          "{\"event_type\":\"ORDER_PLACED\",\"payload\":{\"correlation_id\":\"corr-flow\"}}")));
      acks.add(producer.send(new ProducerRecord<>(EVENTS, 0, threeHoursAgo, "order-0",
          "{\"event_type\":\"ORDER_PLACED\",\"payload\":{\"correlation_id\":\"corr-old\"}}")));
      for (Future<?> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    }

    // The real reducer and materializer, until the id has gone all the way through.
    ReducerConfig reducerConfig = ReducerConfig.parse(List.of(), reducerEnv());
    ReducerProcess reducer = ReduceCommand.prepare(reducerConfig, "trace-it");
    ExecutorService thread = Executors.newSingleThreadExecutor();
    Future<Integer> reducerExit = thread.submit(reducer::run);
    Map<String, String> materializerEnv = cluster.env(STATE_COMMITTED, PROJECTION, PROJECTION);
    materializerEnv.put("MATERIALIZER_SCHEMA", SCHEMA);
    try (InProcessMaterializer materializer = new InProcessMaterializer(materializerEnv, List.of())) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        assertThat(cluster.readAll(DLQ, 1)).hasSize(1);
        assertThat(cluster.projection(SCHEMA + "." + PROJECTION)).containsEntry("order-1", "2:PROCESSING")
            .containsEntry("order-2", "1:PENDING");
      });
    } finally {
      reducer.stop();
      reducerExit.get(30, TimeUnit.SECONDS);
      thread.shutdownNow();
    }
    // A gave-up action as the reducer records it (getting one from the reducer takes a conflict storm).
    cluster.execute("INSERT INTO " + SCHEMA + ".reducer_gaveup_log (action_id, workflow_key, trigger, attempts, "
        + "last_error, correlation_id) VALUES ('g-1', 'order-9', 'PROCESSING', 3, 'version moved 3 times', "
        + "'corr-gaveup')");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anIdThroughTheWholePipelineShowsEveryStageInOrder() throws Exception {
    TraceCli cli = TraceCli.run(directory, env(), "--correlation-id", "corr-flow", "--actions-topic", ACTIONS,
        "--state-committed-topic", STATE_COMMITTED, "--dlq-topic", DLQ, "--topic", EVENTS, "--jdbc-url",
        cluster.postgres.jdbcUrl(), "--schema", SCHEMA, "--projection-table", PROJECTION, "-o", "json");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.OK);
    assertThat(cli.err()).as(cli.toString()).isEmpty();
    TraceResult result = cli.result();
    assertThat(result.result()).isEqualTo(TraceResult.FOUND);
    List<String> types = result.timeline().stream().map(TimelineEntry::type).toList();
    assertThat(types).containsExactlyInAnyOrder("action", "action", "action", "history", "history", "dlq",
        "outbox", "outbox", "state-committed", "state-committed", "state", "record", "projection");
    // Sorted by time; the action of each version comes before its history row, which comes before its event.
    List<Instant> times = result.timeline().stream().map(e -> Instant.parse(e.time())).toList();
    assertThat(times).isSorted();
    assertThat(types.indexOf("action")).isLessThan(types.indexOf("history"));
    assertThat(types.indexOf("history")).isLessThan(types.indexOf("state-committed"));

    TimelineEntry headerOnly = result.timeline().stream().filter(e -> "a-2".equals(actionId(e))).findFirst()
        .orElseThrow();
    assertThat(headerOnly.matchedBy()).isEqualTo("header");
    assertThat(headerOnly.source()).isEqualTo(ACTIONS);
    assertThat(headerOnly.trigger()).isEqualTo("PROCESSING");
    TimelineEntry dead = one(result, "dlq");
    assertThat(dead.errorType()).isEqualTo("INVALID_TRANSITION");
    assertThat(dead.workflowKey()).isEqualTo("order-1");
    assertThat(dead.detail()).contains("PENDING is not allowed from PROCESSING").contains("from " + ACTIONS);
    assertThat(one(result, "record").matchedBy()).isEqualTo("payload.correlation_id");
    assertThat(one(result, "projection").version()).isEqualTo(2L);
    assertThat(result.timeline().stream().filter(e -> e.type().equals("history")).map(TimelineEntry::version))
        .containsExactly(1L, 2L);
    assertThat(result.timeline().stream().filter(e -> e.type().equals("outbox")).map(TimelineEntry::published))
        .containsOnly(true);

    assertThat(result.verdict().stages()).extracting(Verdict.Stage::status).containsOnly(Status.REACHED);
    assertThat(result.verdict().furthest()).isEqualTo(Verdict.MATERIALIZED);
    assertThat(result.verdict().stage(Verdict.MATERIALIZED).evidence()).isEqualTo(
        "order-1 at v2 in " + SCHEMA + "." + PROJECTION);
    assertThat(result.counts().topics()).containsEntry(ACTIONS, new TraceResult.TopicCount(3, 4, 3))
        .containsEntry(STATE_COMMITTED, new TraceResult.TopicCount(3, 3, 2))
        .containsEntry(DLQ, new TraceResult.TopicCount(1, 1, 1))
        // Written after the one of now, the records of three hours ago are read but are outside the default hour.
        .containsEntry(EVENTS, new TraceResult.TopicCount(1, 3, 1));
    assertThat(result.counts().tables()).containsEntry(SCHEMA + ".workflow_state_history", 2L)
        .containsEntry(SCHEMA + ".reducer_gaveup_log", 0L).containsEntry(SCHEMA + "." + PROJECTION, 1L);
    assertThat(result.notes()).isNull();
    // The termination log has the same document, or its summary when that is too large.
    TraceResult written = TraceResult.parse(cli.terminationLog());
    assertThat(written.verdict()).isEqualTo(result.verdict());
    assertThat(written.counts()).isEqualTo(result.counts());
  }

  @Test
  void theTextFormIsATableAndAVerdict() throws Exception {
    TraceCli cli = TraceCli.run(directory, env(), "--correlation-id", "corr-flow", "--actions-topic", ACTIONS,
        "--state-committed-topic", STATE_COMMITTED, "--dlq-topic", DLQ, "--since", "30m");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("TIME", "SOURCE", "OFFSET", "TYPE", "KEY", "VER", "ERROR")
        .contains("INVALID_TRANSITION").contains("verdict:")
        .containsPattern("received +yes +3 records on " + ACTIONS)
        .containsPattern("reduced +yes +order-1 v1, v2, as published \\(history not read\\)")
        .containsPattern("materialized +\\? +no database given")
        .contains("note: no --jdbc-url");
    assertThat(TraceResult.parse(cli.terminationLog()).found()).isTrue();
  }

  @Test
  void idsNobodyCarriesInTheWindowAreNotFound() throws Exception {
    for (String id : List.of("corr-old", "corr-nobody")) {
      TraceCli cli = TraceCli.run(directory, env(), "--correlation-id", id, "--actions-topic", ACTIONS,
          "--state-committed-topic", STATE_COMMITTED, "--dlq-topic", DLQ, "--topic", EVENTS, "--jdbc-url",
          cluster.postgres.jdbcUrl(), "--schema", SCHEMA, "--projection-table", PROJECTION, "-o", "json");

      assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.NOT_FOUND);
      TraceResult result = cli.result();
      assertThat(result.result()).isEqualTo(TraceResult.NOT_FOUND);
      assertThat(result.timeline()).isEmpty();
      assertThat(result.message()).startsWith("nothing carries correlation id " + id);
      assertThat(result.counts().topics().get(EVENTS).recordsRead()).isEqualTo(3);
      assertThat(TraceResult.parse(cli.terminationLog()).result()).isEqualTo(TraceResult.NOT_FOUND);
    }
    // With a window reaching back far enough, the old one is there.
    TraceCli wider = TraceCli.run(directory, env(), "--correlation-id", "corr-old", "--topic", EVENTS, "--since", "4h",
        "-o", "json");
    assertThat(wider.exitCode()).as(wider.toString()).isEqualTo(ExitCodes.OK);
    assertThat(wider.result().counts().topics().get(EVENTS)).isEqualTo(new TraceResult.TopicCount(1, 3, 1));
  }

  @Test
  void aGaveUpRowIsARejection() throws Exception {
    TraceCli cli = TraceCli.run(directory, env(), "--correlation-id", "corr-gaveup", "--actions-topic", ACTIONS,
        "--jdbc-url", cluster.postgres.jdbcUrl(), "--schema", SCHEMA, "-o", "json");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.OK);
    TraceResult result = cli.result();
    assertThat(result.timeline()).singleElement().satisfies(entry -> {
      assertThat(entry.type()).isEqualTo(TimelineEntry.GAVE_UP);
      assertThat(entry.errorType()).isEqualTo("REDUCER_GAVE_UP");
      assertThat(entry.detail()).isEqualTo("after 3 attempts; version moved 3 times; action_id=g-1");
    });
    assertThat(result.verdict().stage(Verdict.REJECTED).status()).isEqualTo(Status.REACHED);
    assertThat(result.verdict().stage(Verdict.RECEIVED).status()).isEqualTo(Status.NOT_REACHED);
    // The default projection table does not exist in this schema: noted, not fatal.
    assertThat(result.notes()).containsExactly("table " + SCHEMA + ".workflow_projection does not exist: projection "
        + "rows not checked");
  }

  @Test
  void missingTablesAreNotedAndAMissingTopicOrDatabaseIsAConfigurationError() throws Exception {
    cluster.execute("CREATE SCHEMA IF NOT EXISTS trace_empty");
    TraceCli empty = TraceCli.run(directory, env(), "--correlation-id", "corr-flow", "--actions-topic", ACTIONS,
        "--jdbc-url", cluster.postgres.jdbcUrl(), "--schema", "trace_empty", "-o", "json");
    assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(ExitCodes.OK);
    assertThat(empty.result().notes()).hasSize(5).allSatisfy(note -> assertThat(note).contains("does not exist"));
    assertThat(empty.result().verdict().stage(Verdict.REDUCED).status()).isEqualTo(Status.NOT_CHECKED);

    TraceCli noTopic = TraceCli.run(directory, env(), "--correlation-id", "corr-flow", "--actions-topic",
        "trace.nope", "-o", "json");
    assertThat(noTopic.exitCode()).as(noTopic.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(noTopic.result().result()).isEqualTo(TraceResult.FAILED);
    assertThat(noTopic.result().message()).contains("topic trace.nope does not exist: check --actions-topic "
        + "(TRACE_ACTIONS_TOPIC)");
    assertThat(noTopic.err()).contains("topic trace.nope does not exist");
    assertThat(TraceResult.parse(noTopic.terminationLog()).message()).contains("trace.nope");

    TraceCli noDatabase = TraceCli.run(directory, env(), "--correlation-id", "corr-flow", "--actions-topic",
        ACTIONS, "--jdbc-url", "jdbc:postgresql://127.0.0.1:" + cluster.postgres.port() + "/no_such_database");
    assertThat(noDatabase.exitCode()).as(noDatabase.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(noDatabase.err()).contains("cannot connect to PostgreSQL").contains("no_such_database")
        .contains("PGPASSWORD");
    assertThat(noDatabase.out()).isEmpty();
  }

  @Test
  void aJobsOutputIsOneJsonDocumentOnStdoutAndNothingOnStderr() throws Exception {
    // A JVM like the image's: no test logging configuration on the classpath, slf4j-simple at its default (info).
    String classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
    Path argFile = directory.resolve("java.args");
    Files.writeString(argFile, "-Xmx256m\n-XX:+UseSerialGC\n-XX:TieredStopAtLevel=1\n-cp\n\""
        + classpath.replace("\\", "\\\\") + "\"\n");
    Path stdout = directory.resolve("stdout");
    Path stderr = directory.resolve("stderr");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + argFile, Main.class.getName(), TraceOptions.COMMAND)
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS").forEach(builder.environment()::remove);
    builder.environment().putAll(env());
    builder.environment().putAll(Map.of(TraceOptions.CORRELATION_ID_ENV, "corr-flow",
        TraceOptions.ACTIONS_TOPIC_ENV, ACTIONS, TraceOptions.STATE_COMMITTED_TOPIC_ENV, STATE_COMMITTED,
        TraceOptions.DLQ_TOPIC_ENV, DLQ, TraceOptions.JDBC_URL_ENV, cluster.postgres.jdbcUrl(),
        TraceOptions.SCHEMA_ENV, SCHEMA, TraceOptions.PROJECTION_TABLE_ENV, PROJECTION,
        TraceOptions.OUTPUT_ENV, "json", TraceOptions.TERMINATION_LOG_ENV,
        directory.resolve("termination").toString()));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    String out = Files.readString(stdout);
    String err = Files.readString(stderr);
    assertThat(process.exitValue()).as(out + err).isEqualTo(ExitCodes.OK);
    assertThat(err).isEmpty();
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(out)) {
      values.forEachRemaining(documents::add);
    }
    assertThat(documents).hasSize(1);
    assertThat(documents.get(0).get("result").asText()).isEqualTo(TraceResult.FOUND);
    assertThat(documents.get(0).get("verdict").get("furthest").asText()).isEqualTo(Verdict.MATERIALIZED);
    assertThat(Files.readString(directory.resolve("termination"))).isNotEmpty();
  }

  private static TimelineEntry one(TraceResult result, String type) {
    List<TimelineEntry> entries = result.timeline().stream().filter(e -> e.type().equals(type)).toList();
    assertThat(entries).as(type).hasSize(1);
    return entries.get(0);
  }

  private static String actionId(TimelineEntry entry) {
    return entry.detail() != null && entry.detail().startsWith("action_id=") ? entry.detail().substring(10) : null;
  }

  private static String action(String actionId, String key, String trigger, String correlationId) {
    return "{\"action_id\":\"" + actionId + "\",\"workflow_key\":\"" + key + "\",\"action\":\"" + trigger
        + "\",\"payload\":{},\"correlation_id\":\"" + correlationId + "\"}";
  }

  /** What the trace Job gets from the pipeline: the broker and the database login. */
  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put(TraceOptions.BOOTSTRAP_SERVERS_ENV, cluster.broker.bootstrapServers());
    env.put(TraceOptions.DB_USER_ENV, cluster.postgres.user());
    env.put(TraceOptions.DB_PASSWORD_ENV, cluster.postgres.password());
    return env;
  }

  private static Map<String, String> reducerEnv() {
    Map<String, String> env = new HashMap<>(env());
    env.put("REDUCER_ACTIONS_TOPIC", ACTIONS);
    env.put("REDUCER_STATE_COMMITTED_TOPIC", STATE_COMMITTED);
    env.put("REDUCER_DLQ_TOPIC", DLQ);
    env.put("REDUCER_JDBC_URL", cluster.postgres.jdbcUrl());
    env.put("REDUCER_SCHEMA", SCHEMA);
    env.put("REDUCER_PIPELINE", "trace-it");
    env.put("REDUCER_HTTP_PORT", "-1");
    env.put("REDUCER_SESSION_TIMEOUT_MS", "6000");
    return env;
  }
}
