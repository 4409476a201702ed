package io.reducer.controller.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reducer.testsupport.postgres.PostgresServer;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.TableOwner;
import io.reducer.workloads.materializer.Watermark;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database reads against a real PostgreSQL. */
class ProjectionDatabaseIT {

  private static PostgresServer postgres;

  @BeforeAll
  static void startDatabase() {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopDatabase() {
    postgres.close();
  }

  @Test
  void beforeAnyMaterializerRanThereAreNoWatermarksAndNoError() throws Exception {
    try (Connection connection = postgres.connect()) {
      connection.createStatement().execute("CREATE SCHEMA IF NOT EXISTS fresh");
      Map<String, Map<Integer, Watermark>> result =
          new ProjectionDatabase("fresh", "orders", "test").watermarks(connection, List.of("orders-view"));

      assertThat(result).containsOnlyKeys("orders-view");
      assertThat(result.get("orders-view")).isEmpty();
    }
  }

  @Test
  void readsTheWatermarksOfSeveralProjectionsInOneQueryAndCountsStaleRows() throws Exception {
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      sql.execute("CREATE SCHEMA pipeline");
      sql.execute("CREATE TABLE pipeline.projection_watermarks (projection text, partition int, next_offset bigint,"
          + " epoch bigint, last_event_time timestamptz, updated_at timestamptz, PRIMARY KEY (projection, partition))");
      sql.execute("INSERT INTO pipeline.projection_watermarks VALUES ('a', 0, 10, 2, now(), now()),"
          + " ('a', 1, 20, 2, NULL, now()), ('b', 0, 7, 1, now(), now()), ('other', 0, 1, 1, now(), now())");
      sql.execute("CREATE TABLE pipeline.workflow_state (workflow_key text PRIMARY KEY, version bigint)");
      sql.execute("CREATE TABLE pipeline.workflow_projection (workflow_key text PRIMARY KEY, version bigint)");
      sql.execute("INSERT INTO pipeline.workflow_state VALUES ('w1', 3), ('w2', 5), ('w3', 1)");
      sql.execute("INSERT INTO pipeline.workflow_projection VALUES ('w1', 3), ('w2', 4)");

      ProjectionDatabase database = new ProjectionDatabase("pipeline", "orders", "test");
      Map<String, Map<Integer, Watermark>> watermarks = database.watermarks(connection, List.of("a", "b"));

      assertThat(watermarks).containsOnlyKeys("a", "b");
      assertThat(watermarks.get("a")).containsOnlyKeys(0, 1);
      assertThat(watermarks.get("a").get(1).nextOffset()).isEqualTo(20);
      assertThat(watermarks.get("a").get(1).epoch()).isEqualTo(2);
      assertThat(watermarks.get("a").get(1).lastEventTime()).isNull();
      assertThat(watermarks.get("b").get(0).nextOffset()).isEqualTo(7);
      // w2 is one version behind and w3 was never projected.
      assertThat(database.staleRows(connection, "workflow_projection")).hasValue(2);
      assertThat(database.staleRows(connection, "missing_projection")).isEmpty();
    }
  }

  @Test
  void countsTheStaleRowsOfEveryTableInOneStatement() throws Exception {
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      sql.execute("CREATE SCHEMA batched");
      ProjectionDatabase database = new ProjectionDatabase("batched", "orders", "test");
      // No canonical store yet: nothing to compare, for any table.
      assertThat(database.staleRows(connection, List.of("first_view", "second_view")))
          .containsOnlyKeys("first_view", "second_view").allSatisfy((table, stale) -> assertThat(stale).isEmpty());

      sql.execute("CREATE TABLE batched.workflow_state (workflow_key text PRIMARY KEY, version bigint)");
      sql.execute("CREATE TABLE batched.first_view (workflow_key text PRIMARY KEY, version bigint)");
      sql.execute("CREATE TABLE batched.second_view (workflow_key text PRIMARY KEY, version bigint)");
      sql.execute("INSERT INTO batched.workflow_state VALUES ('w1', 3), ('w2', 5), ('w3', 1)");
      sql.execute("INSERT INTO batched.first_view VALUES ('w1', 3), ('w2', 4)");
      sql.execute("INSERT INTO batched.second_view VALUES ('w1', 3), ('w2', 5), ('w3', 1)");

      Map<String, java.util.OptionalLong> stale = database.staleRows(connection,
          List.of("first_view", "missing_view", "second_view"));

      assertThat(stale).containsOnlyKeys("first_view", "missing_view", "second_view");
      assertThat(stale.get("first_view")).hasValue(2);
      assertThat(stale.get("second_view")).hasValue(0);
      assertThat(stale.get("missing_view")).isEmpty();
    }
  }

  @Test
  void readsOnlyTheWatermarksOfItsNamespaceAndTheRowsNoNamespaceAdoptedYet() throws Exception {
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      connection.setAutoCommit(false);
      sql.execute("CREATE SCHEMA shared");
      ProjectionSchema.create(connection, "shared", "orders_view");
      sql.execute("INSERT INTO shared.projection_watermarks (namespace, projection, partition, next_offset, epoch) "
          + "VALUES ('orders', 'view', 0, 10, 2), ('billing', 'view', 0, 99, 7), ('', 'view', 0, 5, 1), "
          + "('', 'legacy', 0, 42, 4)");
      connection.commit();

      ProjectionDatabase orders = new ProjectionDatabase("shared", "orders", "test");
      Map<String, Map<Integer, Watermark>> watermarks = orders.watermarks(connection, List.of("view", "legacy"));
      assertThat(watermarks.get("view").get(0).nextOffset()).isEqualTo(10);
      assertThat(watermarks.get("view").get(0).epoch()).isEqualTo(2);
      // Not adopted by a materializer of this version yet: the position the first one of the name will take.
      assertThat(watermarks.get("legacy").get(0).nextOffset()).isEqualTo(42);
      assertThat(new ProjectionDatabase("shared", "billing", "test").watermarks(connection, List.of("view"))
          .get("view").get(0).nextOffset()).isEqualTo(99);
    }
  }

  @Test
  void readsWhoOwnsEachProjectionTable() throws Exception {
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      sql.execute("CREATE SCHEMA owners");
      ProjectionDatabase database = new ProjectionDatabase("owners", "orders", "test");
      assertThat(database.tableOwners(connection, List.of("orders_view"))).isEmpty();

      connection.setAutoCommit(false);
      assertThat(ProjectionSchema.prepare(connection, "owners", "orders_view", TableOwner.of("orders", "view", "u1")))
          .extracting(TableOwner::namespace, TableOwner::projection, TableOwner::uid)
          .containsExactly("orders", "view", "u1");

      Map<String, TableOwner> owners = database.tableOwners(connection, List.of("orders_view", "other_view"));
      assertThat(owners).containsOnlyKeys("orders_view");
      assertThat(owners.get("orders_view").sameProjection("orders", "view")).isTrue();
      assertThat(owners.get("orders_view").claimedAt()).isNotNull();
    }
  }

  @Test
  void anUnreachableDatabaseIsReportedAsDatabaseUnreachable() {
    assertThatThrownBy(() -> {
      try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2",
          "postgres", "postgres")) {
        new ProjectionDatabase("public", "orders", "127.0.0.1:1/postgres").watermarks(connection, List.of("a"));
      }
    }).isInstanceOfSatisfying(java.sql.SQLException.class, e -> assertThat(
        DatabaseFailure.of(e, "127.0.0.1:1/postgres", "connecting").reason())
        .isEqualTo(DatabaseFailure.Reason.DatabaseUnreachable));
  }

  @Test
  void aHostileIdentifierNeverReachesSql() {
    assertThatThrownBy(() -> new ProjectionDatabase("public; DROP TABLE x", "orders", "test"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid SQL identifier");
  }
}
