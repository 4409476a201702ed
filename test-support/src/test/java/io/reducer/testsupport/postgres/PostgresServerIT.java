package io.reducer.testsupport.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() {
    long started = System.nanoTime();
    server = PostgresServer.start();
    System.out.printf("postgres first start (initdb + start): %d ms%n", millisSince(started));
  }

  @AfterAll
  static void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void roundTripsRowsWithBoundParameters() throws SQLException {
    try (Connection connection = server.connect()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events VALUES (?, ?)")) {
        for (long id = 1; id <= 3; id++) {
          insert.setLong(1, id);
          insert.setString(2, "payload-" + id + " with 'quotes' and ünïcödé");
          insert.addBatch();
        }
        assertThat(insert.executeBatch()).containsExactly(1, 1, 1);
      }
      try (PreparedStatement select =
            connection.prepareStatement("SELECT id, payload FROM events WHERE id >= ? ORDER BY id")) {
        select.setLong(1, 2);
        assertThat(rows(select)).containsExactly(
            "2=payload-2 with 'quotes' and ünïcödé",
            "3=payload-3 with 'quotes' and ünïcödé");
      }
      try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT current_user, current_setting('server_version_num')")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(server.user());
        assertThat(rs.getInt(2)).isBetween(170000, 179999);
      }
    }
  }

  @Test
  void dataSurvivesStopAndRestart() throws SQLException {
    try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE durable (v TEXT)");
      statement.execute("INSERT INTO durable VALUES ('before restart')");
    }

    server.stop();
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(server::connect).isInstanceOf(SQLException.class);

    long restarted = System.nanoTime();
    server.restart();
    System.out.printf("postgres restart: %d ms%n", millisSince(restarted));
    assertThat(server.isRunning()).isTrue();

    try (Connection connection = server.connect();
      PreparedStatement select = connection.prepareStatement("SELECT v, ? FROM durable")) {
      select.setString(1, "after");
      assertThat(rows(select)).containsExactly("before restart=after");
    }
  }

  @Test
  void aKilledServerRecoversWhatWasCommittedAndNothingElse() throws Exception {
    try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE crash (v TEXT)");
      statement.execute("INSERT INTO crash VALUES ('committed')");
    }
    Connection open = server.connect();
    open.setAutoCommit(false);
    try (Statement statement = open.createStatement()) {
      statement.execute("INSERT INTO crash VALUES ('open')");
    }

    server.kill();
    assertThat(server.isRunning()).isFalse();
    assertThatThrownBy(open::commit).isInstanceOf(SQLException.class);
    assertThatThrownBy(server::connect).as("nothing listens on the port").isInstanceOf(SQLException.class);
    open.close();

    server.restart();
    try (Connection connection = server.connect();
      PreparedStatement select = connection.prepareStatement("SELECT v, ? FROM crash")) {
      select.setString(1, "recovered");
      assertThat(rows(select)).containsExactly("committed=recovered");
    }
  }

  @Test
  void keepsPortAndUrlAcrossRestarts() {
    int port = server.port();
    String url = server.jdbcUrl();
    server.restart();
    assertThat(server.port()).isEqualTo(port);
    assertThat(server.jdbcUrl()).isEqualTo(url).contains(":" + port + "/");
  }

  private static List<String> rows(PreparedStatement statement) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getString(1) + "=" + rs.getString(2));
      }
    }
    return rows;
  }

  private static long millisSince(long nanoTime) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
  }
}
