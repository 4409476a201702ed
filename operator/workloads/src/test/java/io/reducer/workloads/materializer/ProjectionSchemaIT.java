package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.reducer.testsupport.postgres.PostgresServer;

/** Preparing the tables on a connection the server ended (a crash, a failover) reports the server's reason. */
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

  private static int single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
