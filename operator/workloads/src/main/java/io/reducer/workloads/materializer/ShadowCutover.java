package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

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
   * @param lockHeld from the lock request that was granted to the commit: the longest a reader waited on the
   *     cutover (requests refused without waiting held no reader up)
   */
  public record Result(boolean done, Long newEpoch, String previousTable, int partitions, Duration lockHeld) {
  }

  private ShadowCutover() {
  }

  /**
   * Checks without locks, then locks the live and shadow tables (within {@code lockTimeout}: tries that do not
   * wait for its first half, then one that waits for the rest), checks again that the shadow's watermark is at
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
      boolean registry = ProjectionSchema.exists(connection,
          Identifiers.qualified(rebuild.schema(), ProjectionTables.TABLE));
      boolean watermarkTable = ProjectionSchema.exists(connection, rebuild.qualifiedWatermarks());
      // A first pass without locks: a refusal then disturbs no reader, and the second pass runs on warm code.
      swap(observe(connection, rebuild, registry, watermarkTable, null, false), rebuild, keepPrevious, registry,
          watermarkTable);
      // Readers that arrive after a waiting lock request queue behind it, so they would wait for the slowest query in
      // flight as well as for the swap. For the first half of the timeout the request does not wait (NOWAIT) and is
      // tried again between queries; only then does it queue. From the grant to the commit is three round trips, as
      // each exchange with the server adds a scheduling wake-up on both sides to the readers' wait.
      long asked = System.nanoTime();
      long started;
      Observed locked;
      while (true) {
        started = System.nanoTime();
        Duration waited = Duration.ofNanos(started - asked);
        boolean lastTry = waited.compareTo(lockTimeout.dividedBy(2)) >= 0;
        try {
          locked = observe(connection, rebuild, registry, watermarkTable, lastTry ? lockTimeout.minus(waited) : null,
              true);
          break;
        } catch (SQLException e) {
          if (lastTry || !LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            throw e;
          }
          connection.rollback();
          pause();
        }
      }
      Swap swap = swap(locked, rebuild, keepPrevious, registry, watermarkTable);
      swap.statements().run(connection);
      connection.commit();
      Duration held = Duration.ofNanos(System.nanoTime() - started);
      return new Result(true, swap.epoch(), keepPrevious ? rebuild.previousTable() : null, swap.partitions(), held);
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

  /** What the cutover decides on: the live table's owner (if claimed), catalog facts, both identities' watermarks. */
  private record Observed(List<TableOwner> owner, List<Map.Entry<ShadowDefinition.Fact, String>> facts,
      List<long[]> watermarks) {

    List<String> facts(ShadowDefinition.Fact fact) {
      List<String> texts = new ArrayList<>();
      for (Map.Entry<ShadowDefinition.Fact, String> entry : facts) {
        if (entry.getKey() == fact) {
          texts.add(entry.getValue());
        }
      }
      return texts;
    }

    /** Partition to {@code [next_offset, epoch]} of the live ({@code shadow} false) or shadow identity's rows. */
    Map<Integer, long[]> watermarks(boolean shadow) {
      Map<Integer, long[]> rows = new HashMap<>();
      for (long[] row : watermarks) {
        if ((row[0] == 1) == shadow) {
          rows.put((int) row[1], new long[] {row[2], row[3]});
        }
      }
      return rows;
    }
  }

  /** The statements of the swap, the epoch it gives the live projection and the watermark rows it moves. */
  private record Swap(SqlBatch statements, long epoch, int partitions) {
  }

  /**
   * Reads what the cutover decides on in one round trip. With {@code lock}, first takes the table locks (waiting at
   * most {@code lockTimeout}, or not at all when it is null) and then holds the owner and watermark rows until the
   * transaction ends.
   */
  private static Observed observe(Connection connection, ShadowRebuild rebuild, boolean registry,
      boolean watermarkTable, Duration lockTimeout, boolean lock) throws SQLException {
    SqlBatch read = new SqlBatch();
    if (lock) {
      if (lockTimeout != null) {
        read.statement("SET LOCAL lock_timeout = '" + Math.max(1, lockTimeout.toMillis()) + "ms'");
      }
      read.statement("LOCK TABLE " + rebuild.qualifiedLive() + ", " + rebuild.qualifiedShadow()
          + " IN ACCESS EXCLUSIVE MODE" + (lockTimeout == null ? " NOWAIT" : ""));
    }
    List<TableOwner> owner = registry ? ProjectionTables.owner(read, rebuild.schema(), rebuild.table(), lock)
        : List.of();
    List<Map.Entry<ShadowDefinition.Fact, String>> facts = ShadowDefinition.cutoverFacts(read, rebuild);
    List<long[]> watermarks = watermarkTable ? read.query("SELECT projection = ?, partition, next_offset, epoch FROM "
        + rebuild.qualifiedWatermarks() + " WHERE namespace = ? AND projection IN (?, ?)" + (lock ? " FOR UPDATE" : ""),
        row -> new long[] {row.getBoolean(1) ? 1 : 0, row.getInt(2), row.getLong(3), row.getLong(4)},
        rebuild.shadowProjection(), rebuild.namespace(), rebuild.projection(), rebuild.shadowProjection())
        : List.of();
    read.run(connection);
    return new Observed(owner, facts, watermarks);
  }

  /** Refuses, or gives the swap's statements: nothing runs yet. */
  private static Swap swap(Observed observed, ShadowRebuild rebuild, boolean keepPrevious, boolean registry,
      boolean watermarkTable) throws ShadowRefusedException {
    refuseOtherOwner(observed.owner(), rebuild);
    refuseDependents(observed.facts(ShadowDefinition.Fact.VIEW),
        observed.facts(ShadowDefinition.Fact.REFERENCING_FOREIGN_KEY), rebuild, keepPrevious);
    Map<Integer, long[]> live = observed.watermarks(false);
    Map<Integer, long[]> shadow = observed.watermarks(true);
    refuseBehind(live, shadow);
    long epoch = 1;
    for (long[] row : live.values()) {
      epoch = Math.max(epoch, row[1] + 1);
    }
    SqlBatch statements = new SqlBatch();
    swapTables(statements, rebuild, keepPrevious, observed.facts(ShadowDefinition.Fact.INDEX),
        observed.facts(ShadowDefinition.Fact.REOWN_SEQUENCE));
    if (watermarkTable) {
      moveWatermarks(statements, rebuild, epoch);
    }
    if (registry) {
      ShadowTables.release(statements, rebuild, rebuild.shadowTable(), rebuild.shadowProjection());
      if (keepPrevious) {
        ProjectionTables.claimUnlessClaimed(statements, rebuild.schema(), rebuild.previousTable(),
            TableOwner.of(rebuild.namespace(), rebuild.projection(), ""));
      }
    }
    return new Swap(statements, epoch, shadow.size());
  }

  /** Between tries without waiting: a few milliseconds, so a reader's query in flight can finish. */
  private static void pause() throws SQLException {
    try {
      Thread.sleep(1 + ThreadLocalRandom.current().nextInt(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the cutover's locks", LOCK_NOT_AVAILABLE, e);
    }
  }

  /** A misconfigured rebuild must not swap out, let alone drop, a table another projection owns. */
  private static void refuseOtherOwner(List<TableOwner> owner, ShadowRebuild rebuild) throws ShadowRefusedException {
    if (!owner.isEmpty() && !owner.get(0).sameProjection(rebuild.namespace(), rebuild.projection())) {
      throw new ShadowRefusedException(ProjectionTables.refusal(rebuild.schema(), rebuild.table(), owner.get(0),
          rebuild.namespace(), rebuild.projection(), "the cutover would replace its table",
          "check --table, --namespace and --projection"), false);
    }
  }

  /**
   * Views hold the live table's OID: after the rename they would go on reading the old table, or block its drop.
   * Foreign keys of other tables to it block dropping it too.
   */
  private static void refuseDependents(List<String> views, List<String> references, ShadowRebuild rebuild,
      boolean keepPrevious) throws ShadowRefusedException {
    if (!views.isEmpty()) {
      throw new ShadowRefusedException("view(s) " + String.join(", ", views) + " read " + rebuild.qualifiedLive()
          + ": after the swap they would go on reading the old table, so nothing was swapped; drop them and create "
          + "them again after the cutover (or rebuild in place)", false);
    }
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
  private static void swapTables(SqlBatch swap, ShadowRebuild rebuild, boolean keepPrevious, List<String> liveIndexes,
      List<String> reownSequences) {
    reownSequences.forEach(swap::statement);
    if (keepPrevious) {
      swap.statement("ALTER TABLE " + rebuild.qualifiedLive() + " RENAME TO " + Identifiers.quote(rebuild.previousTable()));
      for (String index : liveIndexes) {
        renameIndex(swap, rebuild.schema(), index, ShadowNames.previousIndex(index, rebuild.rebuildId()));
      }
    } else {
      swap.statement("DROP TABLE " + rebuild.qualifiedLive());
    }
    swap.statement("ALTER TABLE " + rebuild.qualifiedShadow() + " RENAME TO " + Identifiers.quote(rebuild.table()));
    for (String index : liveIndexes) {
      renameIndex(swap, rebuild.schema(), ShadowNames.shadowIndex(index, rebuild.rebuildId()), index);
    }
  }

  /** ALTER INDEX ... RENAME also renames the constraint an index backs (primary key, unique). */
  private static void renameIndex(SqlBatch swap, String schema, String from, String to) {
    swap.statement("ALTER INDEX " + Identifiers.quote(schema) + "." + Identifiers.quoteAny(from)
        + " RENAME TO " + Identifiers.quoteAny(to));
  }

  /** The live rows go, the shadow's take their identity at {@code epoch}. */
  private static void moveWatermarks(SqlBatch swap, ShadowRebuild rebuild, long epoch) {
    swap.statement("DELETE FROM " + rebuild.qualifiedWatermarks() + " WHERE namespace = ? AND projection = ?",
        rebuild.namespace(), rebuild.projection());
    swap.statement("UPDATE " + rebuild.qualifiedWatermarks() + " SET projection = ?, epoch = ?, updated_at = now() "
        + "WHERE namespace = ? AND projection = ?", rebuild.projection(), epoch, rebuild.namespace(),
        rebuild.shadowProjection());
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
