package io.reducer.workloads.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.reducer.testsupport.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session a workload's {@link Database} opens, against a real PostgreSQL. */
class DatabaseIT {

  /** The reducer's read in shape: the rows of a batch's keys from two tables, in one statement. */
  private static final String BATCH_LOOKUP = "EXPLAIN SELECT k, v FROM lookup WHERE k = ANY(?::text[]) "
      + "UNION ALL SELECT k, v FROM lookup WHERE k = ANY(?::text[])";

  private static PostgresServer postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresServer.start();
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute("CREATE TABLE lookup (k text PRIMARY KEY, v text)");
      statement.execute("INSERT INTO lookup SELECT 'key-' || g, repeat('v', 80) FROM generate_series(1, 100000) g");
      statement.execute("VACUUM ANALYZE lookup");
    }
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @Test
  void aBatchLookupThroughThePrimaryKeyStartsNoParallelWorkers() throws Exception {
    // Without the session setting PostgreSQL plans this lookup with parallel workers, started for every execution.
    try (Connection plain = postgres.connect()) {
      assertThat(plan(plain)).contains("Gather");
    }
    try (Database database = new Database(postgres.jdbcUrl(), postgres.user(), postgres.password(), "test")) {
      assertThat(plan(database.connection())).doesNotContain("Gather").contains("Index");
    }
  }

  @Test
  void aTransactionLeftIdleIsEndedByTheServer() throws Exception {
    try (Database database = new Database(postgres.jdbcUrl(), postgres.user(), postgres.password(), "test");
        Statement statement = database.connection().createStatement();
        ResultSet row = statement.executeQuery("SHOW idle_in_transaction_session_timeout")) {
      row.next();
      assertThat(row.getString(1)).isEqualTo(Database.DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT.toSeconds() + "s");
    }
  }

  private static String plan(Connection connection) throws SQLException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      keys.add("missing-" + i);
    }
    StringBuilder plan = new StringBuilder();
    try (PreparedStatement explain = connection.prepareStatement(BATCH_LOOKUP)) {
      Array array = connection.createArrayOf("text", keys.toArray());
      explain.setArray(1, array);
      explain.setArray(2, array);
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
    }
    return plan.toString();
  }
}
