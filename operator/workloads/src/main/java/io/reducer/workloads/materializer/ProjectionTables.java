package io.reducer.workloads.materializer;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of projection tables, {@code projection_tables}: which Projection (namespace, name, uid) each table of
 * the schema belongs to. A materializer claims its table the first time it uses it and refuses a table claimed by
 * another projection; a rebuild refuses to truncate one. A registry table rather than a COMMENT ON TABLE: a claim must
 * be atomic (a primary key and INSERT ... ON CONFLICT DO NOTHING decide between two starters), COMMENT needs the
 * table's owner role (a table a DBA created may not be the materializer's), any tool may overwrite a comment, and the
 * operator and the runbooks read the owner with a plain SELECT.
 */
public final class ProjectionTables {

  public static final String TABLE = "projection_tables";

  private ProjectionTables() {
  }

  /**
   * The message of a refusal to use a table another projection owns: who owns it, the harm, what to fix, and how to
   * release the table when that projection is gone for good.
   */
  public static String refusal(String schema, String table, TableOwner owner, String namespace, String projection,
      String harm, String fix) {
    return "table " + schema + "." + table + " belongs to " + owner.describe() + ", not to Projection " + namespace
        + "/" + projection + ": " + harm + ", so nothing was changed. " + fix + "; if that projection is gone for "
        + "good, release the table with DELETE FROM " + schema + "." + TABLE + " WHERE table_name = '" + table + "'";
  }

  /** CREATE TABLE IF NOT EXISTS, inside the caller's DDL transaction. */
  static void create(Statement ddl, String schema) throws SQLException {
    ddl.execute("CREATE TABLE IF NOT EXISTS " + Identifiers.qualified(schema, TABLE) + " ("
        + "table_name text PRIMARY KEY, "
        + "namespace text NOT NULL, "
        + "projection text NOT NULL, "
        + "uid text NOT NULL DEFAULT '', "
        + "claimed_at timestamptz NOT NULL DEFAULT now(), "
        + "updated_at timestamptz NOT NULL DEFAULT now())");
  }

  /**
   * Claims {@code table} for {@code claimant} unless another projection has it, inside the caller's transaction, and
   * returns the owner: the claimant when it now owns the table (its uid updated when it changed), else the other
   * projection. A claimant without a uid (by hand) leaves the recorded uid as it is.
   */
  static TableOwner claim(Connection connection, String schema, String table, TableOwner claimant)
      throws SQLException {
    String registry = Identifiers.qualified(schema, TABLE);
    SqlBatch insert = new SqlBatch();
    claimUnlessClaimed(insert, schema, table, claimant);
    insert.run(connection);
    TableOwner owner = owner(connection, schema, table, true).orElseThrow();
    if (owner.sameProjection(claimant.namespace(), claimant.projection()) && !claimant.uid().isEmpty()
        && !claimant.uid().equals(owner.uid())) {
      try (PreparedStatement update = connection.prepareStatement("UPDATE " + registry
          + " SET uid = ?, updated_at = now() WHERE table_name = ?")) {
        update.setString(1, claimant.uid());
        update.setString(2, table);
        update.executeUpdate();
      }
      return new TableOwner(owner.namespace(), owner.projection(), claimant.uid(), owner.claimedAt());
    }
    return owner;
  }

  /**
   * The owner of {@code table}, or empty when it is unclaimed or the registry does not exist yet. With {@code lock}
   * the row is held (FOR SHARE) until the transaction ends, so it cannot change hands before a truncate.
   */
  public static Optional<TableOwner> owner(Connection connection, String schema, String table, boolean lock)
      throws SQLException {
    return Optional.ofNullable(owners(connection, schema, List.of(table), lock).get(table));
  }

  /** The owners of the given tables that have one; empty when the registry does not exist yet. */
  public static Map<String, TableOwner> owners(Connection connection, String schema, Collection<String> tables)
      throws SQLException {
    return owners(connection, schema, tables, false);
  }

  private static Map<String, TableOwner> owners(Connection connection, String schema, Collection<String> tables,
      boolean lock) throws SQLException {
    Map<String, TableOwner> owners = new HashMap<>();
    String registry = Identifiers.qualified(schema, TABLE);
    if (!ProjectionSchema.exists(connection, registry)) {
      return owners;
    }
    try (PreparedStatement query = connection.prepareStatement("SELECT table_name, namespace, projection, uid, "
        + "claimed_at FROM " + registry + " WHERE table_name = ANY(?)" + (lock ? " FOR SHARE" : ""))) {
      Array names = connection.createArrayOf("text", tables.toArray());
      query.setArray(1, names);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          owners.put(rows.getString(1), owner(rows, 2));
        }
      }
    }
    return owners;
  }

  /**
   * Adds to {@code batch} the query for the owner of {@code table}, with {@code lock} held (FOR SHARE) until the
   * transaction ends; the list has the owner once the batch ran, or nothing when the table is unclaimed. The registry
   * must exist.
   */
  static List<TableOwner> owner(SqlBatch batch, String schema, String table, boolean lock) {
    return batch.query("SELECT namespace, projection, uid, claimed_at FROM " + Identifiers.qualified(schema, TABLE)
        + " WHERE table_name = ?" + (lock ? " FOR SHARE" : ""), rows -> owner(rows, 1), table);
  }

  /** Adds to {@code batch} the claim of {@code table} for {@code claimant}, a no-op when someone has it. */
  static void claimUnlessClaimed(SqlBatch batch, String schema, String table, TableOwner claimant) {
    batch.statement("INSERT INTO " + Identifiers.qualified(schema, TABLE) + " (table_name, namespace, projection, uid)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (table_name) DO NOTHING", table, claimant.namespace(),
        claimant.projection(), claimant.uid());
  }

  /** The owner in columns namespace, projection, uid, claimed_at from {@code first} on. */
  private static TableOwner owner(ResultSet rows, int first) throws SQLException {
    Timestamp claimed = rows.getTimestamp(first + 3);
    return new TableOwner(rows.getString(first), rows.getString(first + 1), rows.getString(first + 2),
        claimed == null ? null : claimed.toInstant());
  }
}
