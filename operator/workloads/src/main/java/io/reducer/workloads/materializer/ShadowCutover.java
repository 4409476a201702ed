package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Swaps a filled shadow table and its watermarks in for the live ones, in one transaction: readers of the live table
 * block for that transaction only and then see the whole new table, never an empty or partial one.
 */
public final class ShadowCutover {

  /** SQLSTATE lock_not_available: lock_timeout passed. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  /**
   * What a cutover did.
   *
   * @param done false when an earlier run had already cut over (no shadow table and no shadow watermarks are left)
   * @param newEpoch the live projection's epoch now; when {@code done} is false, the epoch the earlier run left (null
   *     without live watermark rows): a retry after a cutover whose answer was lost still reports it
   * @param previousTable where the old live table is kept; null when it was dropped (or, when {@code done} is false,
   *     when no kept table of this rebuild exists)
   * @param partitions watermark rows moved to the live identity
   * @param lockHeld from asking for the table locks to the commit: the longest a reader waited on the cutover
   */
  public record Result(boolean done, Long newEpoch, String previousTable, int partitions, Duration lockHeld) {
  }

  private ShadowCutover() {
  }

  /**
   * Locks the live and shadow tables (waiting at most {@code lockTimeout}), checks that the shadow's watermark is at
   * or past the live one on every live partition, then keeps the live table as the previous one or drops it, renames
   * the shadow and its indexes to the live names, and moves the shadow's watermark rows to the live identity with the
   * live epoch + 1, so a live materializer still running on the old epoch writes nothing more. Commits.
   *
   * @throws ShadowBehindException a shadow watermark is behind or missing; nothing changed
   * @throws ShadowRefusedException the locks were not granted in time (retryable); the live table belongs to another
   *     projection, views read it, or (without keepPrevious) foreign keys reference it; nothing changed
   */
  public static Result cutover(Connection connection, ShadowRebuild rebuild, boolean keepPrevious,
      Duration lockTimeout) throws SQLException, ShadowRefusedException {
    try {
      if (!ProjectionSchema.exists(connection, rebuild.qualifiedShadow())) {
        if (watermarks(connection, rebuild, rebuild.shadowProjection(), false).isEmpty()) {
          // Nothing left to swap: an earlier run cut over (perhaps one whose COMMIT went through and whose answer
          // was lost, so this is its retry) or the rebuild was discarded. Report what is in force now.
          Map<Integer, long[]> live = watermarks(connection, rebuild, rebuild.projection(), false);
          Long epoch = live.isEmpty() ? null : live.values().stream().mapToLong(row -> row[1]).max().getAsLong();
          String previous = ProjectionSchema.exists(connection, rebuild.qualifiedPrevious()) ? rebuild.previousTable()
              : null;
          connection.rollback();
          return new Result(false, epoch, previous, 0, Duration.ZERO);
        }
        throw new ShadowRefusedException("the shadow table " + rebuild.qualifiedShadow() + " does not exist but "
            + "its watermark rows do: create the shadow again, or discard the rebuild", false);
      }
      try (PreparedStatement timeout = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
        timeout.setString(1, lockTimeout.toMillis() + "ms");
        timeout.execute();
      }
      long started = System.nanoTime();
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("LOCK TABLE " + rebuild.qualifiedLive() + ", " + rebuild.qualifiedShadow()
            + " IN ACCESS EXCLUSIVE MODE");
      }
      refuseOtherOwner(connection, rebuild);
      refuseDependents(connection, rebuild, keepPrevious);
      Map<Integer, long[]> live = watermarks(connection, rebuild, rebuild.projection(), true);
      Map<Integer, long[]> shadow = watermarks(connection, rebuild, rebuild.shadowProjection(), true);
      refuseBehind(live, shadow);
      swapTables(connection, rebuild, keepPrevious);
      long epoch = live.values().stream().mapToLong(row -> row[1]).max().orElse(0) + 1;
      int moved = moveWatermarks(connection, rebuild, epoch);
      ShadowTables.release(connection, rebuild, rebuild.shadowTable(), rebuild.shadowProjection());
      if (keepPrevious) {
        ProjectionTables.claim(connection, rebuild.schema(), rebuild.previousTable(),
            TableOwner.of(rebuild.namespace(), rebuild.projection(), ""));
      }
      connection.commit();
      Duration held = Duration.ofNanos(System.nanoTime() - started);
      return new Result(true, epoch, keepPrevious ? rebuild.previousTable() : null, moved, held);
    } catch (SQLException e) {
      connection.rollback();
      if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
        throw new ShadowRefusedException("the cutover did not get its locks on " + rebuild.qualifiedLive() + " and "
            + rebuild.qualifiedShadow() + " within " + lockTimeout.toMillis() + " ms (a long query or transaction "
            + "holds one), so nothing was swapped; run it again", true, e);
      }
      throw e;
    } catch (ShadowRefusedException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  /** A misconfigured rebuild must not swap out, let alone drop, a table another projection owns. */
  private static void refuseOtherOwner(Connection connection, ShadowRebuild rebuild)
      throws SQLException, ShadowRefusedException {
    TableOwner owner = ProjectionTables.owner(connection, rebuild.schema(), rebuild.table(), true).orElse(null);
    if (owner != null && !owner.sameProjection(rebuild.namespace(), rebuild.projection())) {
      throw new ShadowRefusedException(ProjectionTables.refusal(rebuild.schema(), rebuild.table(), owner,
          rebuild.namespace(), rebuild.projection(), "the cutover would replace its table",
          "check --table, --namespace and --projection"), false);
    }
  }

  /**
   * Views hold the live table's OID: after the rename they would go on reading the old table, or block its drop.
   * Foreign keys of other tables to it block dropping it too.
   */
  private static void refuseDependents(Connection connection, ShadowRebuild rebuild, boolean keepPrevious)
      throws SQLException, ShadowRefusedException {
    List<String> views = ShadowDefinition.dependentViews(connection, rebuild.qualifiedLive());
    if (!views.isEmpty()) {
      throw new ShadowRefusedException("view(s) " + String.join(", ", views) + " read " + rebuild.qualifiedLive()
          + ": after the swap they would go on reading the old table, so nothing was swapped; drop them and create "
          + "them again after the cutover (or rebuild in place)", false);
    }
    List<String> references = ShadowDefinition.referencingForeignKeys(connection, rebuild.qualifiedLive());
    if (!keepPrevious && !references.isEmpty()) {
      throw new ShadowRefusedException("foreign key(s) " + String.join(", ", references) + " reference "
          + rebuild.qualifiedLive() + ", so it cannot be dropped and nothing was swapped; cut over with "
          + "keep-previous (they then reference the kept table) or drop them first", false);
    }
  }

  private static void refuseBehind(Map<Integer, long[]> live, Map<Integer, long[]> shadow)
      throws ShadowBehindException {
    Map<Integer, long[]> behind = new TreeMap<>();
    live.forEach((partition, row) -> {
      long[] shadowRow = shadow.get(partition);
      if (shadowRow == null || shadowRow[0] < row[0]) {
        behind.put(partition, new long[] {shadowRow == null ? -1 : shadowRow[0], row[0]});
      }
    });
    if (!behind.isEmpty()) {
      throw new ShadowBehindException(behind);
    }
  }

  /** Live out of the way (renamed with its indexes, or dropped), then the shadow and its indexes take the live names. */
  private static void swapTables(Connection connection, ShadowRebuild rebuild, boolean keepPrevious)
      throws SQLException {
    List<String> liveIndexes = ShadowDefinition.indexes(connection, rebuild.qualifiedLive());
    try (Statement ddl = connection.createStatement()) {
      for (String statement : ShadowDefinition.reownSequences(connection, rebuild)) {
        ddl.execute(statement);
      }
      if (keepPrevious) {
        ddl.execute("ALTER TABLE " + rebuild.qualifiedLive() + " RENAME TO " + Identifiers.quote(rebuild.previousTable()));
        for (String index : liveIndexes) {
          renameIndex(ddl, rebuild.schema(), index, ShadowNames.previousIndex(index, rebuild.rebuildId()));
        }
      } else {
        ddl.execute("DROP TABLE " + rebuild.qualifiedLive());
      }
      ddl.execute("ALTER TABLE " + rebuild.qualifiedShadow() + " RENAME TO " + Identifiers.quote(rebuild.table()));
      for (String index : liveIndexes) {
        renameIndex(ddl, rebuild.schema(), ShadowNames.shadowIndex(index, rebuild.rebuildId()), index);
      }
    }
  }

  /** ALTER INDEX ... RENAME also renames the constraint an index backs (primary key, unique). */
  private static void renameIndex(Statement ddl, String schema, String from, String to) throws SQLException {
    ddl.execute("ALTER INDEX " + Identifiers.quote(schema) + "." + Identifiers.quoteAny(from)
        + " RENAME TO " + Identifiers.quoteAny(to));
  }

  /** The live rows go, the shadow's take their identity at {@code epoch}. */
  private static int moveWatermarks(Connection connection, ShadowRebuild rebuild, long epoch) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + rebuild.qualifiedWatermarks()
        + " WHERE namespace = ? AND projection = ?")) {
      delete.setString(1, rebuild.namespace());
      delete.setString(2, rebuild.projection());
      delete.executeUpdate();
    }
    try (PreparedStatement move = connection.prepareStatement("UPDATE " + rebuild.qualifiedWatermarks()
        + " SET projection = ?, epoch = ?, updated_at = now() WHERE namespace = ? AND projection = ?")) {
      move.setString(1, rebuild.projection());
      move.setLong(2, epoch);
      move.setString(3, rebuild.namespace());
      move.setString(4, rebuild.shadowProjection());
      return move.executeUpdate();
    }
  }

  /** Partition to {@code [next_offset, epoch]} of one identity; {@code lock} holds the rows until commit. */
  private static Map<Integer, long[]> watermarks(Connection connection, ShadowRebuild rebuild, String projection,
      boolean lock) throws SQLException {
    Map<Integer, long[]> rows = new HashMap<>();
    if (!ProjectionSchema.exists(connection, rebuild.qualifiedWatermarks())) {
      return rows;
    }
    for (long[] row : CatalogQuery.rows(connection, "SELECT partition, next_offset, epoch FROM "
        + rebuild.qualifiedWatermarks() + " WHERE namespace = ? AND projection = ?" + (lock ? " FOR UPDATE" : ""),
        result -> new long[] {result.getInt(1), result.getLong(2), result.getLong(3)}, rebuild.namespace(),
        projection)) {
      rows.put((int) row[0], new long[] {row[1], row[2]});
    }
    return rows;
  }
}
