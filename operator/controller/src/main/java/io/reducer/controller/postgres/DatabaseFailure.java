package io.reducer.controller.postgres;

import io.reducer.controller.status.FailureReason;
import java.sql.SQLException;

/** A failed database call, with the condition reason it maps to and a message that says what to check. */
public final class DatabaseFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** Condition reasons for PostgreSQL failures. */
  public enum Reason implements FailureReason {
    DatabaseUnreachable,
    DatabaseAuthenticationFailed,
    /** The user lacks a grant the canonical store's DDL needs (SQLSTATE 42501); the message names the grant. */
    SchemaPermissionDenied,
    /** The canonical store's tables do not exist (yet) in the pipeline's schema. */
    CanonicalStoreMissing,
    DatabaseError;

    /** A refused login or a missing grant. */
    @Override
    public boolean needsUser() {
      return this == DatabaseAuthenticationFailed || this == SchemaPermissionDenied;
    }
  }

  private final Reason reason;

  public DatabaseFailure(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** SQLSTATE insufficient_privilege. */
  public static final String INSUFFICIENT_PRIVILEGE = "42501";

  /** Maps by SQLSTATE class: 08 connection exception, 28 invalid authorization, 3D unknown database. */
  public static DatabaseFailure of(SQLException error, String target, String what) {
    String state = error.getSQLState() == null ? "" : error.getSQLState();
    if (state.startsWith("08")) {
      return new DatabaseFailure(Reason.DatabaseUnreachable, what + ": cannot connect to " + target + " ("
          + error.getMessage() + "); check spec.postgres.host and port and that the server is up", error);
    }
    if (state.startsWith("28")) {
      return new DatabaseFailure(Reason.DatabaseAuthenticationFailed, what + ": login to " + target
          + " refused; check the user name and password in spec.postgres.credentials' Secret", error);
    }
    if (state.startsWith("3D")) {
      return new DatabaseFailure(Reason.DatabaseUnreachable, what + ": database does not exist on " + target
          + "; check spec.postgres.database", error);
    }
    return new DatabaseFailure(Reason.DatabaseError, what + " on " + target + ": " + error.getMessage()
        + " (SQLSTATE " + state + ")", error);
  }
}
