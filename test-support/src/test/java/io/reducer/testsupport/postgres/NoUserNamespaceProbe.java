package io.reducer.testsupport.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link PostgresServerWithoutUserNamespacesIT} in a JVM whose PATH has no {@code unshare}: starts a server,
 * checks a query and a restart, and prints the operating-system users that run the postmaster.
 */
public final class NoUserNamespaceProbe {

  private NoUserNamespaceProbe() {
  }

  public static void main(String[] args) throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      query(server, "CREATE TABLE probe (v TEXT); INSERT INTO probe VALUES ('kept')");
      server.restart();
      try (Connection connection = server.connect(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT v FROM probe")) {
        rs.next();
        System.out.println("value=" + rs.getString(1));
      }
      System.out.println("postmaster users=" + postmasterUsers(server.port()));
    }
  }

  private static void query(PostgresServer server, String sql) throws Exception {
    try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static List<String> postmasterUsers(int port) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().orElse("").endsWith("/bin/postgres"))
        .filter(p -> Arrays.asList(p.info().arguments().orElse(new String[0])).contains(Integer.toString(port)))
        .map(p -> p.info().user().orElse("?"))
        .distinct()
        .toList();
  }
}
