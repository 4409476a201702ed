package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.reducer.testsupport.postgres.PostgresServer;

/**
 * Preparing the tables: on a connection the server ended (a crash, a failover) it reports the server's reason; beside
 * a batch in flight it waits for nothing.
 */
class ProjectionSchemaIT {

  @Test
  void aSessionTheServerEndedFailsWithTheServersReasonNotWithAClosedConnection() throws Exception {
    try (PostgresServer postgres = PostgresServer.start(); Connection ended = postgres.connect();
        Connection admin = postgres.connect()) {
      ended.setAutoCommit(false);
      int pid = single(ended, "SELECT pg_backend_pid()");
      ended.rollback();
      single(admin, "SELECT pg_terminate_backend(" + pid + ")::int");

      SQLException failure = catchThrowableOfType(SQLException.class, () -> ProjectionSchema.prepare(ended, "public",
          "schema_ended", TableOwner.of("ns", "p", "uid")));

      // The rollback after the failure meets a closed connection; that must not replace why it closed.
      assertThat(failure.getSQLState()).as(failure.getMessage()).isNotEqualTo("08003");
      assertThat(failure.getMessage()).doesNotContain("has been closed");
    }
  }

  /**
   * A materializer starts (a restart, a scale-up, a shadow materializer) while another one's batch is in flight: the
   * batch holds ROW EXCLUSIVE on projection_watermarks until it commits, which may take long (it waits on a lock of
   * its projection table). Preparing the tables again must not ask for a lock that conflicts with it: it would wait
   * for that batch, and every other materializer's next batch, of every projection in the schema, would queue behind
   * it.
   */
  @Test
  void startingAgainWhileABatchIsInFlightOnTheWatermarksWaitsForNoLock() throws Exception {
    try (PostgresServer postgres = PostgresServer.start(); Connection batch = postgres.connect();
        Connection starting = postgres.connect()) {
      starting.setAutoCommit(false);
      ProjectionSchema.prepare(starting, "public", "schema_busy", TableOwner.of("ns", "p", "uid"));
      batch.setAutoCommit(false);
      try (Statement statement = batch.createStatement()) {
        statement.executeUpdate("UPDATE projection_watermarks SET next_offset = next_offset WHERE partition = -1");
      }
      try (Statement statement = starting.createStatement()) {
        // Without it the start would wait for as long as the batch is open: the failure names the lock it wanted.
        statement.execute("SET lock_timeout = '5s'");
      }

      assertThat(ProjectionSchema.prepare(starting, "public", "schema_busy", TableOwner.of("ns", "p", "uid"))
          .sameProjection("ns", "p")).isTrue();
      batch.rollback();
    }
  }

  private static int single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
