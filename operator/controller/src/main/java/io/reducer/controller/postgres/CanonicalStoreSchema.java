package io.reducer.controller.postgres;

import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operator's DDL on a pipeline database: the canonical store, created with the workloads' own
 * {@link CanonicalSchema}, so the operator and the reducer apply the same versioned migrations. A store at the current
 * version is only read (one schema lookup, one version query, one table check): a reconcile then needs no CREATE
 * grant and takes no lock, and a least-privileged user works against a store a DBA created.
 */
public final class CanonicalStoreSchema {

  /** unique_violation and duplicate_schema: the schema was created concurrently. */
  private static final Set<String> CREATED_MEANWHILE = Set.of("23505", "42P06");

  private final String schema;
  private final String database;
  private final String user;

  /**
   * @param database the database name, for messages that name a grant
   * @param user the login user, for messages that name a grant
   */
  public CanonicalStoreSchema(String schema, String database, String user) {
    Identifiers.quote(schema);
    this.schema = schema;
    this.database = database;
    this.user = user;
  }

  /**
   * Creates the schema if missing and brings the store to the current version.
   *
   * @throws DatabaseFailure with reason SchemaPermissionDenied and the missing grant when the user lacks one
   */
  public CanonicalStoreState ensure(DatabasePool pool) throws DatabaseFailure {
    return pool.runWritable("creating the canonical store in schema " + schema, connection -> {
      boolean schemaExists;
      int version;
      List<String> missing;
      try {
        schemaExists = schemaExists(connection);
        version = schemaExists ? CanonicalSchema.version(connection, schema) : 0;
        missing = schemaExists ? missingTables(connection) : CanonicalSchema.TABLES;
        connection.rollback();
      } catch (SQLException e) {
        throw failure(e, pool.target(), "reading the canonical store's version in schema " + schema,
            "GRANT USAGE ON SCHEMA " + identifier(schema) + " TO " + identifier(user) + " (and SELECT on its table "
                + CanonicalSchema.VERSION + ")");
      }
      if (version >= CanonicalSchema.CURRENT_VERSION) {
        return missing.isEmpty() ? CanonicalStoreState.current(schema, version)
            : CanonicalStoreState.incomplete(schema, version, missing);
      }
      if (!schemaExists) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        } catch (SQLException e) {
          connection.rollback();
          if (CREATED_MEANWHILE.contains(e.getSQLState())) {
            // IF NOT EXISTS does not cover a concurrent creation, e.g. by another pipeline on the same schema.
            return ensureCreated(connection, pool.target(), version, missing);
          }
          throw failure(e, pool.target(), "creating schema " + schema, "GRANT CREATE ON DATABASE "
              + identifier(database) + " TO " + identifier(user) + ", or create the schema for it: CREATE SCHEMA "
              + identifier(schema) + " AUTHORIZATION " + identifier(user));
        }
      }
      return ensureCreated(connection, pool.target(), version, missing);
    });
  }

  private CanonicalStoreState ensureCreated(Connection connection, String target, int version, List<String> missing)
      throws DatabaseFailure {
    try {
      CanonicalSchema.create(connection, schema);
    } catch (SQLException e) {
      throw failure(e, target, "creating the canonical store tables in schema " + schema,
          "GRANT CREATE ON SCHEMA " + identifier(schema) + " TO " + identifier(user)
              + ", or have a user with that grant create the store once");
    }
    return CanonicalStoreState.migrated(schema, version, CanonicalSchema.CURRENT_VERSION, missing);
  }

  private boolean schemaExists(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?)")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  private List<String> missingTables(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT t FROM unnest(?::text[]) WITH ORDINALITY "
        + "AS u(t, n) WHERE to_regclass(quote_ident(?) || '.' || quote_ident(t)) IS NULL ORDER BY n")) {
      Array tables = connection.createArrayOf("text", CanonicalSchema.TABLES.toArray());
      query.setArray(1, tables);
      query.setString(2, schema);
      List<String> missing = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          missing.add(rows.getString(1));
        }
      }
      return missing;
    }
  }

  private DatabaseFailure failure(SQLException error, String target, String what, String grant) {
    if (DatabaseFailure.INSUFFICIENT_PRIVILEGE.equals(error.getSQLState())) {
      String message = error.getMessage() == null ? "permission denied" : error.getMessage().lines().findFirst()
          .orElse("").replaceFirst("^ERROR: ", "");
      return new DatabaseFailure(DatabaseFailure.Reason.SchemaPermissionDenied, what + " on " + target + ": "
          + message + " (SQLSTATE 42501); the operator needs " + grant, error);
    }
    return DatabaseFailure.of(error, target, what);
  }

  /** A name as it would be typed into psql: bare when it is a plain lower-case identifier, quoted otherwise. */
  static String identifier(String name) {
    return Identifiers.isValid(name) ? name : '"' + name.replace("\"", "\"\"") + '"';
  }
}
