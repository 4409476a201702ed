package io.reducer.workloads.reducer;

import java.sql.SQLException;

/** SQLSTATEs that mean "try the same transaction again", not "something is broken". */
final class SqlStates {

  private SqlStates() {
  }

  /** Serialization failure or deadlock: PostgreSQL aborted this transaction to let a concurrent one finish. */
  static boolean isTransient(Exception e) {
    if (!(e instanceof SQLException sql)) {
      return false;
    }
    return "40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState());
  }
}
