package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the projection and watermark tables if they do not exist. Names keep the runbooks' diagnostic SQL
 * working; the updated_at index serves {@code SELECT ... FROM projection_watermarks ORDER BY updated_at}.
 */
public final class ProjectionSchema {

  public static final String WATERMARKS = "projection_watermarks";
  private static final String UPDATED_AT_INDEX = "projection_watermarks_updated_at_idx";
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionSchema.class);
  /**
   * Every event of a key rewrites its row, and only the primary key is indexed: with half of each page left
   * free the new version fits beside the old one (a HOT update), so the index is not touched and pruning reclaims
   * the old version in place. At the default 100 nearly every update moved the row to another page and added an
   * index entry; the benchmark measured 6.0 instead of 10.0 CPU microseconds of PostgreSQL per row.
   */
  static final int FILLFACTOR = 50;
  /** Serializes concurrent startups: CREATE TABLE IF NOT EXISTS races on the catalog otherwise. */
  private static final long DDL_LOCK = 0x7265647563657231L;

  private ProjectionSchema() {
  }

  public static boolean schemaExists(Connection connection, String schema) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    } finally {
      connection.rollback();
    }
  }

  /**
   * Creates the projection, watermark and registry tables if they do not exist and upgrades a watermark table of an
   * earlier version (see {@link #upgradeWatermarks}), under the DDL lock. Commits.
   */
  public static void create(Connection connection, String schema, String table) throws SQLException {
    try (Statement ddl = connection.createStatement()) {
      createLocked(connection, ddl, schema, table);
      connection.commit();
    } catch (SQLException e) {
      rollbackKeeping(connection, e);
      throw e;
    }
  }

  /**
   * What a materializer (or a reset) does before it uses {@code table} for {@code claimant}, in one transaction under
   * the DDL lock: {@link #create} the tables, claim the table in {@link ProjectionTables} unless another projection
   * owns it, and adopt the claimant's watermark rows written before watermarks had a namespace. Commits; when the
   * table belongs to another projection it rolls back instead, so nothing is claimed or adopted.
   *
   * @return the table's owner: the claimant, or the other projection that owns it
   */
  public static TableOwner prepare(Connection connection, String schema, String table, TableOwner claimant)
      throws SQLException {
    try (Statement ddl = connection.createStatement()) {
      createLocked(connection, ddl, schema, table);
      TableOwner owner = ProjectionTables.claim(connection, schema, table, claimant);
      if (!owner.sameProjection(claimant.namespace(), claimant.projection())) {
        connection.rollback();
        return owner;
      }
      adoptUnnamespaced(connection, schema, claimant.namespace(), claimant.projection());
      connection.commit();
      return owner;
    } catch (SQLException e) {
      rollbackKeeping(connection, e);
      throw e;
    }
  }

  /**
   * Rolls back after {@code failure}. On a connection the failure closed (the server ended the session or died) the
   * rollback fails too; that is kept as suppressed, so the caller still sees why the connection closed.
   */
  private static void rollbackKeeping(Connection connection, SQLException failure) {
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      failure.addSuppressed(rollback);
    }
  }

  /** True when the schema's watermark table has the namespace column (it is of this version, or upgraded). */
  public static boolean watermarksHaveNamespace(Connection connection, String schema) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_attribute "
        + "WHERE attrelid = to_regclass(?) AND attname = 'namespace' AND NOT attisdropped")) {
      query.setString(1, Identifiers.qualified(schema, WATERMARKS));
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** The (quoted, qualified) relation exists. */
  public static boolean exists(Connection connection, String qualifiedName) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      query.setString(1, qualifiedName);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  private static void createLocked(Connection connection, Statement ddl, String schema, String table)
      throws SQLException {
    String projection = Identifiers.qualified(schema, table);
    String watermarks = Identifiers.qualified(schema, WATERMARKS);
    ddl.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
    ddl.execute("CREATE TABLE IF NOT EXISTS " + projection + " ("
        + "workflow_key text PRIMARY KEY, "
        + "version bigint NOT NULL, "
        + "state text, "
        + "namespace text, "
        + "tag text, "
        + "last_action text, "
        + "correlation_id text, "
        + "committed_at timestamptz, "
        + "updated_at timestamptz NOT NULL DEFAULT now()) "
        + "WITH (fillfactor = " + FILLFACTOR + ")");
    ddl.execute("CREATE TABLE IF NOT EXISTS " + watermarks + " ("
        + "namespace text NOT NULL DEFAULT '', "
        + "projection text NOT NULL, "
        + "partition int NOT NULL, "
        + "next_offset bigint NOT NULL, "
        + "epoch bigint NOT NULL DEFAULT 0, "
        + "last_event_time timestamptz, "
        + "updated_at timestamptz NOT NULL DEFAULT now(), "
        + "PRIMARY KEY (namespace, projection, partition))");
    upgradeWatermarks(connection, ddl, schema);
    // CREATE INDEX IF NOT EXISTS takes a SHARE lock on the table before it finds the index there. At every start that
    // waited for every batch in flight on the watermarks (ROW EXCLUSIVE until commit) and held up every next batch of
    // every projection of the schema behind it; so it runs only when the index is missing.
    if (!exists(connection, Identifiers.qualified(schema, UPDATED_AT_INDEX))) {
      ddl.execute("CREATE INDEX IF NOT EXISTS " + Identifiers.quote(UPDATED_AT_INDEX) + " ON " + watermarks
          + " (updated_at)");
    }
    ProjectionTables.create(ddl, schema);
  }

  /**
   * A watermark table of an earlier version is keyed by (projection, partition) only, so two Projections of the same
   * name in two namespaces sharing the database moved each other's rows. It gets the namespace column (existing rows:
   * '') and the primary key (namespace, projection, partition). Checked first, so a table already upgraded takes no
   * ACCESS EXCLUSIVE lock at every start.
   */
  private static void upgradeWatermarks(Connection connection, Statement ddl, String schema) throws SQLException {
    String watermarks = Identifiers.qualified(schema, WATERMARKS);
    if (!watermarksHaveNamespace(connection, schema)) {
      ddl.execute("ALTER TABLE " + watermarks + " ADD COLUMN IF NOT EXISTS namespace text NOT NULL DEFAULT ''");
    }
    String oldKey = null;
    try (PreparedStatement query = connection.prepareStatement("SELECT c.conname FROM pg_catalog.pg_constraint c "
        + "WHERE c.conrelid = to_regclass(?) AND c.contype = 'p' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a "
        + "WHERE a.attrelid = c.conrelid AND a.attname = 'namespace' AND a.attnum = ANY(c.conkey))")) {
      query.setString(1, watermarks);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          oldKey = rows.getString(1);
        }
      }
    }
    if (oldKey != null) {
      ddl.execute("ALTER TABLE " + watermarks + " DROP CONSTRAINT " + Identifiers.quoteAny(oldKey)
          + ", ADD PRIMARY KEY (namespace, projection, partition)");
    }
  }

  /**
   * Rows written before watermarks had a namespace (namespace '') carry only the projection's name: nothing tells
   * which namespace wrote them. The first projection of that name to start adopts them, if its namespace has no rows
   * of its own yet; a later one of the same name in another namespace finds none and starts from the log start (the
   * version guard makes that re-read converge). Before the upgrade same-named projections shared these very rows, so
   * no choice is more right than another, and the first one keeps the common case (one projection of that name)
   * exactly where it was.
   */
  private static void adoptUnnamespaced(Connection connection, String schema, String namespace, String projection)
      throws SQLException {
    String watermarks = Identifiers.qualified(schema, WATERMARKS);
    try (PreparedStatement adopt = connection.prepareStatement("UPDATE " + watermarks + " SET namespace = ? "
        + "WHERE namespace = '' AND projection = ? AND NOT EXISTS (SELECT 1 FROM " + watermarks
        + " o WHERE o.namespace = ? AND o.projection = ?)")) {
      adopt.setString(1, namespace);
      adopt.setString(2, projection);
      adopt.setString(3, namespace);
      adopt.setString(4, projection);
      int adopted = adopt.executeUpdate();
      if (adopted > 0) {
        LOG.info("adopted {} watermark row(s) of projection '{}' written before watermarks had a namespace, "
            + "for namespace '{}'", adopted, projection, namespace);
      }
    }
  }
}
