package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates, discards and cleans up after a shadow rebuild's tables. Each step is one transaction and may be run again:
 * a retried Job finds the shadow already there (and checks it still matches the live table), or finds nothing left to
 * drop. The swap itself is {@link ShadowCutover}.
 */
public final class ShadowTables {

  /**
   * What {@link #create} found or made.
   *
   * @param created false when an earlier run had already created it
   * @param notCarried what the live table has that the shadow does not (and so the table will not after a cutover)
   */
  public record Created(String shadowTable, String shadowProjection, String shadowGroup, boolean created,
      List<String> notCarried) {
  }

  private ShadowTables() {
  }

  /**
   * Creates the shadow table with the live table's definition ({@link ShadowDefinition}) and claims it for the shadow
   * identity in {@code projection_tables}, in one transaction, so a shadow that exists is complete. Commits.
   *
   * @throws ShadowRefusedException the live table does not exist, or a shadow of that name exists with other columns
   *     or belongs to another projection; nothing was changed
   */
  public static Created create(Connection connection, ShadowRebuild rebuild)
      throws SQLException, ShadowRefusedException {
    try {
      if (!ProjectionSchema.exists(connection, rebuild.qualifiedLive())) {
        throw new ShadowRefusedException("the live table " + rebuild.qualifiedLive() + " does not exist: there is "
            + "nothing to rebuild in a shadow; check --table and --schema", false);
      }
      boolean created = !ProjectionSchema.exists(connection, rebuild.qualifiedShadow());
      List<String> notes = new ArrayList<>(ShadowDefinition.notCarried(connection, rebuild));
      if (created) {
        ShadowDefinition.create(connection, rebuild);
        notes.addAll(ShadowDefinition.takeOwner(connection, rebuild));
      } else {
        checkExisting(connection, rebuild);
      }
      try (Statement ddl = connection.createStatement()) {
        ProjectionTables.create(ddl, rebuild.schema());
      }
      TableOwner owner = ProjectionTables.claim(connection, rebuild.schema(), rebuild.shadowTable(),
          rebuild.shadowOwner());
      if (!owner.sameProjection(rebuild.namespace(), rebuild.shadowProjection())) {
        throw new ShadowRefusedException(ProjectionTables.refusal(rebuild.schema(), rebuild.shadowTable(), owner,
            rebuild.namespace(), rebuild.shadowProjection(), "the shadow would overwrite its rows",
            "choose another rebuild id"), false);
      }
      connection.commit();
      return new Created(rebuild.shadowTable(), rebuild.shadowProjection(), rebuild.shadowGroup(), created,
          List.copyOf(notes));
    } catch (SQLException | ShadowRefusedException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  /**
   * Drops the shadow table, its watermark rows and its claim: a rebuild cancelled before its cutover leaves the live
   * projection as it was. Commits; true when there was something to drop.
   */
  public static boolean discard(Connection connection, ShadowRebuild rebuild) throws SQLException {
    try {
      boolean existed = dropClaimed(connection, rebuild, rebuild.shadowTable(), rebuild.shadowProjection());
      int rows = 0;
      if (ProjectionSchema.exists(connection, rebuild.qualifiedWatermarks())) {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + rebuild.qualifiedWatermarks()
            + " WHERE namespace = ? AND projection = ?")) {
          delete.setString(1, rebuild.namespace());
          delete.setString(2, rebuild.shadowProjection());
          rows = delete.executeUpdate();
        }
      }
      connection.commit();
      return existed || rows > 0;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  /** Drops the previous table a cutover kept, and its claim. Commits; true when it existed. */
  public static boolean dropPrevious(Connection connection, ShadowRebuild rebuild) throws SQLException {
    try {
      boolean existed = dropClaimed(connection, rebuild, rebuild.previousTable(), rebuild.projection());
      connection.commit();
      return existed;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  /** Drops {@code table} if it exists and releases its claim by {@code projection}; true when it existed. */
  private static boolean dropClaimed(Connection connection, ShadowRebuild rebuild, String table, String projection)
      throws SQLException {
    String qualified = Identifiers.qualified(rebuild.schema(), table);
    boolean existed = ProjectionSchema.exists(connection, qualified);
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("DROP TABLE IF EXISTS " + qualified);
    }
    release(connection, rebuild, table, projection);
    return existed;
  }

  /** Deletes the registry row of {@code table} if {@code projection} owns it; inside the caller's transaction. */
  static void release(Connection connection, ShadowRebuild rebuild, String table, String projection)
      throws SQLException {
    if (!ProjectionSchema.exists(connection, Identifiers.qualified(rebuild.schema(), ProjectionTables.TABLE))) {
      return;
    }
    SqlBatch delete = new SqlBatch();
    release(delete, rebuild, table, projection);
    delete.run(connection);
  }

  /** Adds to {@code batch} the release of {@code table} by {@code projection}; the registry must exist. */
  static void release(SqlBatch batch, ShadowRebuild rebuild, String table, String projection) {
    batch.statement("DELETE FROM " + Identifiers.qualified(rebuild.schema(), ProjectionTables.TABLE)
        + " WHERE table_name = ? AND namespace = ? AND projection = ?", table, rebuild.namespace(), projection);
  }

  /** A shadow left by an earlier run is used only if it still has the live table's columns and every index. */
  private static void checkExisting(Connection connection, ShadowRebuild rebuild)
      throws SQLException, ShadowRefusedException {
    String live = ShadowDefinition.columns(connection, rebuild.qualifiedLive());
    String shadow = ShadowDefinition.columns(connection, rebuild.qualifiedShadow());
    if (!live.equals(shadow)) {
      throw new ShadowRefusedException("the shadow table " + rebuild.qualifiedShadow() + " exists with other columns"
          + " than the live table (shadow: " + shadow + "; live: " + live + "): discard it and create it again",
          false);
    }
    List<String> missing = new ArrayList<>();
    List<String> indexes = ShadowDefinition.indexes(connection, rebuild.qualifiedShadow());
    for (String index : ShadowDefinition.indexes(connection, rebuild.qualifiedLive())) {
      String expected = ShadowNames.shadowIndex(index, rebuild.rebuildId());
      if (!indexes.contains(expected)) {
        missing.add(expected);
      }
    }
    if (!missing.isEmpty()) {
      throw new ShadowRefusedException("the shadow table " + rebuild.qualifiedShadow() + " exists without the "
          + "index(es) " + String.join(", ", missing) + " of the live table: discard it and create it again", false);
    }
  }
}
