package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.materializer.InProcessMaterializer;
import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.reducer.ReducerTestKit.ActionStream;

/**
 * kill -9 of a reducer process. First between the database commit and the outbox publish (the relay is off, so
 * the commits are all there and nothing is published), with the Kafka offset commits lost too: the next process
 * finds every action it reads again a duplicate, publishes every outbox row once, and a materializer downstream
 * ends consistent with workflow_state by the runbooks' consistency query. Then mid-stream under load: the next
 * process ends with every action applied once, versions without holes and every version on the state-committed
 * topic.
 */
class ReducerCrashIT {

  private static final int PARTITIONS = 3;
  private static TestCluster cluster;

  @TempDir
  Path logs;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aCrashBetweenTheCommitAndThePublishLosesNoStateCommittedEvent() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "unpublished", PARTITIONS);
    int keys = 40;
    int perKey = 10;
    Map<String, Long> model = new HashMap<>();
    List<String[]> records = new ArrayList<>();
    for (int n = 1; n <= perKey; n++) {
      for (int k = 0; k < keys; k++) {
        String key = "wf-" + k;
        String id = key + "-" + n;
        records.add(new String[] {key, ReducerTestKit.action(id, key, "touch", id)});
        model.merge(key, 1L, Long::sum);
      }
    }
    int total = keys * perKey;
    kit.send(records);

    Map<String, String> env = kit.loopEnv();
    env.put("REDUCER_HTTP_PORT", "0");
    env.put("REDUCER_OUTBOX_RELAY", "false");
    env.put("REDUCER_GROUP", "reducer-unpublished");
    try (ChildReducer first = new ChildReducer(logs, "unpublished-first", env)) {
      first.httpPort();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(kit.versions()).as(first::log).isEqualTo(model);
        assertThat(kit.backlog()).isEqualTo(total);
        // Offsets go to Kafka once a second: killed after that, so that the rewind below moves them back.
        assertThat(committedOffsets("reducer-unpublished")).as("offsets committed").isPositive();
      });
      first.kill();
    }
    assertThat(cluster.logEnd(kit.stateCommitted, PARTITIONS).values()).as("published before the crash")
        .containsOnly(0L);
    assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_outbox")).isEqualTo(total);
    // As if the crash had also lost every Kafka offset commit: the next process reads all actions again.
    rewindToEarliest("reducer-unpublished", kit.actions);

    env.put("REDUCER_OUTBOX_RELAY", "true");
    try (ChildReducer second = new ChildReducer(logs, "unpublished-second", env)) {
      second.httpPort();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(kit.backlog()).as(second::log).isZero();
        assertThat(counter(second.get("/metrics").body(), "reducer_duplicate_actions_total")).isEqualTo(total);
      });
      // Each version exactly once, in order: the first process published nothing, the second everything.
      assertThat(kit.published(PARTITIONS)).isEqualTo(ReducerTestKit.oneToN(model));
      // Every action read again was a duplicate: no new version, no new outbox row.
      assertThat(counter(second.get("/metrics").body(), "reducer_successful_actions_total")).isZero();
      assertThat(kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head")).isEqualTo(total);
      assertThat(kit.historyHoles()).isEmpty();
      assertThat(kit.versions()).isEqualTo(model);
      // The process that took over the relay says so on /health, with its components.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        HttpResponse<String> health = second.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(health.body());
        assertThat(body.path("status").asText()).as(health.body()).isEqualTo("UP");
        assertThat(body.at("/components/outbox/details/relay").asText()).isEqualTo("leader");
        assertThat(body.at("/components/outbox/details/backlog").asLong()).isZero();
        assertThat(body.at("/components/outbox/details/last_published_sequence").asLong()).isEqualTo(total);
        assertThat(body.at("/components/dedup_cleanup/status").asText()).isEqualTo("UP");
        assertThat(body.at("/components/database/status").asText()).isEqualTo("UP");
        assertThat(body.at("/components/kafka/status").asText()).isEqualTo("UP");
      });

      // Downstream: a materializer reading state-committed into workflow_projection beside the canonical store.
      cluster.broker.createTopic(kit.stateCommitted + ".dlq", 1);
      Map<String, String> materializer = cluster.env(kit.stateCommitted, "workflow_projection", "workflow_projection");
      materializer.put("MATERIALIZER_SCHEMA", kit.schema);
      String behind = "SELECT count(*) FROM {schema}.workflow_state ws LEFT JOIN {schema}.workflow_projection p "
          + "ON ws.workflow_key = p.workflow_key WHERE ws.version - COALESCE(p.version, 0) > 0";
      String orphans = "SELECT count(*) FROM {schema}.workflow_projection p LEFT JOIN {schema}.workflow_state ws "
          + "ON ws.workflow_key = p.workflow_key WHERE ws.workflow_key IS NULL";
      try (InProcessMaterializer projection = new InProcessMaterializer(materializer, List.of())) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> assertThat(kit.count(behind)).as("workflows behind in the projection").isZero());
        assertThat(kit.count(orphans)).as("projection rows without a canonical row").isZero();
        assertThat(cluster.projection(kit.schema + ".workflow_projection")).isEqualTo(kit.states());
      }
      assertThat(second.terminate(Duration.ofSeconds(30))).as(second::log).isEqualTo(ExitCodes.OK);
    }
  }

  @Test
  void aReducerKilledMidStreamIsReplacedWithoutLossOrDoubleApplication() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "killed", PARTITIONS);
    Map<String, String> env = kit.loopEnv();
    env.put("REDUCER_HTTP_PORT", "0");
    env.put("REDUCER_MAX_RECORDS", "50");
    int total = 4000;
    ActionStream stream;
    long appliedAtKill;
    try (ChildReducer first = new ChildReducer(logs, "killed-first", env)) {
      first.httpPort();
      stream = new ActionStream(kit, "wf", 30, total, 1000, total / 2);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> kit.applied() >= total / 5);
      assertThat(stream.isDone()).as("still producing when killed").isFalse();
      stream.release();
      first.kill();
      appliedAtKill = kit.applied();
    }
    assertThat(appliedAtKill).isLessThan(total);
    Map<String, Long> model = stream.awaitModel();

    try (ChildReducer second = new ChildReducer(logs, "killed-second", env)) {
      second.httpPort();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(kit.versions()).as(second::log).isEqualTo(model);
        assertThat(kit.backlog()).isZero();
      });
      assertThat(kit.historyHoles()).isEmpty();
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_COMMITTED'"))
          .isEqualTo(total);
      assertThat(kit.count("SELECT count(DISTINCT action_id) FROM {schema}.workflow_state_history "
          + "WHERE event_type = 'STATE_COMMITTED'")).isEqualTo(total);
      assertThat(kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head")).isEqualTo(total);
      // Every (key, version) on the topic, nothing else; a row published twice around the kill is allowed.
      assertThat(kit.publishedSets(PARTITIONS)).isEqualTo(ReducerTestKit.oneToNSets(model));
      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_gaveup_log")).isZero();
      assertThat(cluster.readAll(kit.dlq, 1)).isEmpty();
      assertThat(second.terminate(Duration.ofSeconds(30))).as(second::log).isEqualTo(ExitCodes.OK);
    }
  }

  private static long committedOffsets(String group) throws Exception {
    try (Admin admin = cluster.broker.admin()) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
          .values().stream().filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  /** Commits the earliest offsets for a group, once its killed member's session has expired. */
  private static void rewindToEarliest(String group, String topic) throws Exception {
    try (Admin admin = cluster.broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      assertThat(committed.values().stream().filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum())
          .as("offsets the killed process committed").isPositive();
      Map<TopicPartition, OffsetAndMetadata> earliest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        earliest.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
      }
      // Only an empty group takes new offsets: the dead member holds it until its session times out.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
        admin.alterConsumerGroupOffsets(group, earliest).all().get(10, TimeUnit.SECONDS);
        return true;
      });
    }
  }

  private static double counter(String metrics, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} (\\S+)$").matcher(metrics);
    assertThat(matcher.find()).as(name + " in\n" + metrics).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
