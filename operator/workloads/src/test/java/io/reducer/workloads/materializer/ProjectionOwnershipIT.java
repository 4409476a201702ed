package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.Main;

/**
 * Two projections sharing a database never touch each other's data: same-named projections of two namespaces keep
 * their own watermarks, a table belongs to the first projection that uses it, and a watermark table of the earlier
 * shape (no namespace) is upgraded with its rows kept.
 */
class ProjectionOwnershipIT {

  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static TestCluster cluster;

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
  void sameNamedProjectionsOfTwoNamespacesKeepTheirOwnWatermarks() throws Exception {
    cluster.createTopics("orders-events", 2);
    cluster.createTopics("billing-events", 2);
    produce("orders-events", "o", 20, 3);
    produce("billing-events", "b", 4, 1);
    Map<Integer, Long> ordersEnd = cluster.logEnd("orders-events", 2);
    Map<Integer, Long> billingEnd = cluster.logEnd("billing-events", 2);

    materializeToTheEnd("orders", "wp", "orders-events", "wp_orders", "public", ordersEnd);
    materializeToTheEnd("billing", "wp", "billing-events", "wp_billing", "public", billingEnd);

    // Before watermarks had a namespace both wrote the same two rows: billing started at orders' offsets.
    cluster.query("SELECT count(*) FROM projection_watermarks WHERE projection = 'wp'",
        rows -> assertThat(rows.getInt(1)).isEqualTo(4));
    assertThat(cluster.watermarks("public", "orders", "wp")).isEqualTo(ordersEnd);
    assertThat(cluster.watermarks("public", "billing", "wp")).isEqualTo(billingEnd);
    assertThat(cluster.projection("wp_billing")).hasSize(4).containsEntry("b-0", "1:S1");
    assertThat(cluster.projection("wp_orders")).hasSize(20).containsEntry("o-0", "3:S3");

    // The runbooks' diagnostic query still works and shows whose row is whose.
    List<String> rows = new ArrayList<>();
    cluster.query("SELECT namespace, projection, partition, next_offset FROM projection_watermarks "
        + "WHERE projection = 'wp' ORDER BY namespace, partition",
        r -> rows.add(r.getString(1) + "/" + r.getString(2) + "/" + r.getInt(3) + "@" + r.getLong(4)));
    assertThat(rows).hasSize(4).first().asString().startsWith("billing/wp/0@");
  }

  @Test
  void aWatermarkTableOfTheEarlierShapeIsUpgradedAndItsRowsAdoptedByTheFirstProjectionOfThatName()
      throws Exception {
    cluster.createTopics("legacy-events", 1);
    produce("legacy-events", "l", 10, 2);
    long end = cluster.logEnd("legacy-events", 1).get(0);
    // What an earlier version left: the watermark table keyed by (projection, partition), a position half-way at
    // epoch 3, the projection table holding what was applied before it, and no owner registry.
    cluster.execute("CREATE SCHEMA legacy");
    cluster.execute("CREATE TABLE legacy.projection_watermarks (projection text NOT NULL, partition int NOT NULL, "
        + "next_offset bigint NOT NULL, epoch bigint NOT NULL DEFAULT 0, last_event_time timestamptz, "
        + "updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (projection, partition))");
    cluster.execute("CREATE INDEX projection_watermarks_updated_at_idx ON legacy.projection_watermarks (updated_at)");
    cluster.execute("INSERT INTO legacy.projection_watermarks (projection, partition, next_offset, epoch) "
        + "VALUES ('legacy', 0, 10, 3), ('unrelated', 0, 7, 1)");
    cluster.execute("CREATE TABLE legacy.legacy_view (workflow_key text PRIMARY KEY, version bigint NOT NULL, "
        + "state text, namespace text, tag text, last_action text, correlation_id text, committed_at timestamptz, "
        + "updated_at timestamptz NOT NULL DEFAULT now())");
    cluster.execute("INSERT INTO legacy.legacy_view (workflow_key, version, state) "
        + "SELECT 'l-' || i, 1, 'S1' FROM generate_series(0, 9) AS i");

    Map<String, String> env = env("orders", "legacy", "legacy-events", "legacy_view", "legacy");
    try (InProcessMaterializer materializer = new InProcessMaterializer(env, List.of())) {
      await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(cluster.watermarks("legacy", "orders", "legacy")).isEqualTo(Map.of(0, end)));
      // It resumed at the adopted offset 10: only the ten records after it were read.
      assertThat(materializer.metrics().materialized() + materializer.metrics().duplicates()).isEqualTo(10);
    }
    assertThat(cluster.projection("legacy.legacy_view")).hasSize(10).containsEntry("l-0", "2:S2");
    List<String> rows = new ArrayList<>();
    cluster.query("SELECT namespace, projection, epoch FROM legacy.projection_watermarks ORDER BY projection",
        r -> rows.add(r.getString(1) + "/" + r.getString(2) + " epoch " + r.getLong(3)));
    assertThat(rows).containsExactly("orders/legacy epoch 3", "/unrelated epoch 1");
    cluster.query("SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM pg_constraint c, "
        + "unnest(c.conkey) WITH ORDINALITY AS k(n, i) JOIN pg_attribute a ON a.attnum = k.n "
        + "WHERE c.conrelid = 'legacy.projection_watermarks'::regclass AND a.attrelid = c.conrelid AND c.contype = 'p'",
        r -> assertThat(r.getString(1)).isEqualTo("namespace,projection,partition"));
    // An existing table nobody owned yet belongs to the first projection that used it.
    assertThat(cluster.owner("legacy", "legacy_view")).isEqualTo("orders/legacy uid-legacy");

    // The first one won: a projection of the same name in another namespace starts from the log start.
    materializeToTheEnd("billing", "legacy", "legacy-events", "legacy_billing", "legacy", Map.of(0, end));
    assertThat(cluster.projection("legacy.legacy_billing")).hasSize(10);
    cluster.query("SELECT epoch FROM legacy.projection_watermarks WHERE namespace = 'billing'",
        r -> assertThat(r.getLong(1)).isZero());
    assertThat(cluster.watermarks("legacy", "orders", "legacy")).isEqualTo(Map.of(0, end));
  }

  @Test
  void aSecondProjectionNamingAnOwnedTableIsRefusedAndTheOwnersRowsAreUntouched() throws Exception {
    cluster.createTopics("first-events", 1);
    cluster.createTopics("second-events", 1);
    produce("first-events", "f", 5, 2);
    produce("second-events", "f", 8, 7);
    materializeToTheEnd("orders", "first", "first-events", "shared_view", "public",
        cluster.logEnd("first-events", 1));
    Map<String, String> before = cluster.projection("shared_view");
    assertThat(before).hasSize(5);
    assertThat(cluster.owner("public", "shared_view")).isEqualTo("orders/first uid-first");

    // Another Projection (same namespace, another name) naming the same table, and one of the same name elsewhere.
    for (String[] other : List.of(new String[] {"orders", "second"}, new String[] {"billing", "first"})) {
      Result refused = run(env(other[0], other[1], "second-events", "shared_view", "public"));

      assertThat(refused.code).as(refused.err).isEqualTo(ExitCodes.BAD_CONFIGURATION);
      assertThat(refused.err).contains("materialize: configuration error: table public.shared_view belongs to "
          + "Projection orders/first (uid uid-first").contains("not to Projection " + other[0] + "/" + other[1])
          .contains("DELETE FROM public.projection_tables WHERE table_name = 'shared_view'")
          .doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(cluster.projection("shared_view")).isEqualTo(before);
      assertThat(cluster.watermarks("public", other[0], other[1])).isEmpty();
    }

    // The same Projection deleted and applied again (a new uid) keeps its table; the new uid is recorded.
    Map<String, String> again = env("orders", "first", "first-events", "shared_view", "public");
    again.put("MATERIALIZER_PROJECTION_UID", "uid-first-again");
    try (InProcessMaterializer materializer = new InProcessMaterializer(again, List.of())) {
      assertThat(cluster.owner("public", "shared_view")).isEqualTo("orders/first uid-first-again");
    }
    assertThat(cluster.projection("shared_view")).isEqualTo(before);
  }

  private static void produce(String topic, String prefix, int keys, int versions) {
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      for (int version = 1; version <= versions; version++) {
        for (int key = 0; key < keys; key++) {
          producer.send(TestEvents.event(topic, prefix + "-" + key, version));
        }
      }
    }
  }

  private static Map<String, String> env(String namespace, String projection, String topic, String table,
      String schema) {
    Map<String, String> env = new HashMap<>(cluster.env(topic, projection, table));
    env.put("MATERIALIZER_NAMESPACE", namespace);
    env.put("MATERIALIZER_PROJECTION_UID", "uid-" + projection);
    env.put("MATERIALIZER_SCHEMA", schema);
    env.put("MATERIALIZER_GROUP", "group-" + namespace + "-" + projection);
    return env;
  }

  private static void materializeToTheEnd(String namespace, String projection, String topic, String table,
      String schema, Map<Integer, Long> end) throws Exception {
    try (InProcessMaterializer materializer = new InProcessMaterializer(
        env(namespace, projection, topic, table, schema), List.of())) {
      await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(cluster.watermarks(schema, namespace, projection)).isEqualTo(end));
    }
  }

  private static Result run(Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new ArrayList<>(List.of("materialize")), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int code, String out, String err) {
  }
}
