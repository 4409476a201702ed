package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.reducer.testsupport.postgres.PostgresServer;

class ProjectionUpsertIT {

  private static PostgresServer postgres;

  @BeforeAll
  static void start() {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  /** committed_at goes as microseconds where that is exact; it must store what the text form stored. */
  @Test
  void committedAtIsStoredAsItsTextWouldBe() throws Exception {
    List<String> times = List.of("2026-01-02T03:04:05.123Z", "2026-01-02T03:04:05.1234565Z",
        "2026-01-02T03:04:05.1234575Z", "2026-01-02T03:04:05.999999500Z", "1999-12-31T23:59:59.0000005Z",
        "1970-01-01T00:00:00Z", "1716-01-01T00:00:00.000001Z", "2284-12-31T23:59:59.999999Z",
        "1000-06-15T12:00:00.000001Z", "9999-12-31T23:59:59.999999Z");
    List<StateCommitted> rows = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      rows.add(new StateCommitted(i, "k" + i, 1, "S", null, null, null, null, Instant.parse(times.get(i))));
    }
    rows.add(new StateCommitted(99, "k-null", 1, "S", null, null, null, null, null));
    try (Connection connection = postgres.connect()) {
      connection.setAutoCommit(false);
      ProjectionSchema.create(connection, "public", "upsert_times");
      assertThat(new ProjectionUpsert("public", "upsert_times").apply(connection, rows)).hasSize(rows.size());
      connection.commit();
      for (int i = 0; i < times.size(); i++) {
        try (PreparedStatement query = connection.prepareStatement(
            "SELECT committed_at = ?::timestamptz, committed_at::text FROM upsert_times WHERE workflow_key = ?")) {
          query.setString(1, times.get(i));
          query.setString(2, "k" + i);
          try (ResultSet result = query.executeQuery()) {
            assertThat(result.next()).isTrue();
            assertThat(result.getBoolean(1)).as(times.get(i) + " stored as " + result.getString(2)).isTrue();
          }
        }
      }
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT committed_at IS NULL FROM upsert_times WHERE workflow_key = 'k-null'");
          ResultSet result = query.executeQuery()) {
        assertThat(result.next()).isTrue();
        assertThat(result.getBoolean(1)).isTrue();
      }
    }
  }
}
