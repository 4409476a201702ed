package io.reducer.workloads.materializer;

import java.sql.SQLException;

/** Tells a row the database rejects (its data) from a failure of the database itself (retry the batch). */
final class SqlErrors {

  private SqlErrors() {
  }

  /** Class 22 (data exception) and 23 (integrity constraint): retrying the same row fails the same way. */
  static boolean isRowRejection(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }
}
