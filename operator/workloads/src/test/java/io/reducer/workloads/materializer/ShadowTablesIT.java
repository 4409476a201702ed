package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.reducer.testsupport.postgres.PostgresServer;

/**
 * A shadow rebuild's database steps on a real PostgreSQL: the shadow carries the live table's definition, the cutover
 * swaps rows and watermarks in one transaction that readers never see half done, fences the old live epoch, and
 * refuses while the shadow is behind; discard and keepPrevious leave what a user expects.
 */
class ShadowTablesIT {

  private static final String NS = "orders";
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
  private static final int ROWS = 200;
  private static PostgresServer postgres;
  private static final AtomicInteger TABLES = new AtomicInteger();
  private Connection connection;
  private ShadowRebuild rebuild;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void liveProjection() throws SQLException {
    connection = postgres.connect();
    connection.setAutoCommit(false);
    String table = "wp_" + TABLES.incrementAndGet();
    rebuild = new ShadowRebuild("public", table, NS, table.replace('_', '-'), "r1");
    ProjectionSchema.create(connection, "public", table);
    fill(table, 1);
    setWatermarks(rebuild.projection(), Map.of(0, 100L, 1, 100L), 3);
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void theShadowCarriesIndexesConstraintsGrantsAndFillfactorAndTheCutoverGivesBackTheLiveNames() throws Exception {
    String live = rebuild.table();
    execute("CREATE INDEX " + live + "_state_idx ON " + live + " (state) WHERE state IS NOT NULL");
    execute("ALTER TABLE " + live + " ADD CONSTRAINT " + live + "_corr_key UNIQUE (correlation_id)");
    execute("ALTER TABLE " + live + " ADD CONSTRAINT version_positive CHECK (version > 0)");
    execute("ALTER TABLE " + live + " SET (autovacuum_vacuum_scale_factor = 0.01)");
    execute("DO $$ BEGIN CREATE ROLE dashboard; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    execute("GRANT SELECT ON " + live + " TO dashboard");
    execute("GRANT UPDATE (state) ON " + live + " TO dashboard");
    execute("COMMENT ON TABLE " + live + " IS 'workflow projection, don''t edit'");
    execute("CREATE FUNCTION " + live + "_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");
    execute("CREATE TRIGGER touch BEFORE UPDATE ON " + live + " FOR EACH ROW EXECUTE FUNCTION " + live + "_touch()");
    connection.commit();

    ShadowTables.Created created = ShadowTables.create(connection, rebuild);

    String shadow = rebuild.shadowTable();
    assertThat(created.created()).isTrue();
    assertThat(created.notCarried()).containsExactly("trigger touch");
    assertThat(indexes(shadow)).containsExactly(live + "_corr_key_shadow_r1", live + "_pkey_shadow_r1",
        live + "_state_idx_shadow_r1");
    assertThat(text("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = '" + shadow + "'"))
        .isEqualTo("fillfactor=50,autovacuum_vacuum_scale_factor=0.01");
    assertThat(text("SELECT has_table_privilege('dashboard', '" + shadow + "', 'SELECT')::text")).isEqualTo("true");
    assertThat(text("SELECT has_column_privilege('dashboard', '" + shadow + "', 'state', 'UPDATE')::text"))
        .isEqualTo("true");
    assertThat(text("SELECT has_column_privilege('dashboard', '" + shadow + "', 'tag', 'UPDATE')::text"))
        .isEqualTo("false");
    assertThat(text("SELECT obj_description('" + shadow + "'::regclass, 'pg_class')"))
        .isEqualTo("workflow projection, don't edit");
    execute("INSERT INTO " + shadow + " (workflow_key, version) VALUES ('k', 1)");
    assertThatThrownBy(() -> execute("INSERT INTO " + shadow + " (workflow_key, version) VALUES ('k', 2)"))
        .hasMessageContaining("duplicate key");
    connection.rollback();
    assertThatThrownBy(() -> execute("INSERT INTO " + shadow + " (workflow_key, version) VALUES ('n', 0)"))
        .hasMessageContaining("version_positive");
    connection.rollback();

    fill(shadow, 2);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);
    ShadowCutover.cutover(connection, rebuild, true, LOCK_TIMEOUT);

    // A later rebuild of the same table derives the same shadow names again.
    assertThat(indexes(live)).containsExactly(live + "_corr_key", live + "_pkey", live + "_state_idx");
    assertThat(text("SELECT string_agg(conname, ',' ORDER BY conname COLLATE \"C\") FROM pg_constraint WHERE "
        + "conrelid = '" + live + "'::regclass")).isEqualTo("version_positive," + live + "_corr_key," + live + "_pkey");
    assertThat(indexes(rebuild.previousTable())).containsExactly(live + "_corr_key_prev_r1", live + "_pkey_prev_r1",
        live + "_state_idx_prev_r1");
  }

  @Test
  void aSecondCreateFindsTheShadowThereAndOneOfOtherColumnsIsRefused() throws Exception {
    ShadowTables.Created first = ShadowTables.create(connection, rebuild);
    execute("INSERT INTO " + rebuild.shadowTable() + " (workflow_key, version) VALUES ('kept', 7)");
    connection.commit();

    ShadowTables.Created again = ShadowTables.create(connection, rebuild);

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.shadowTable()).isEqualTo(first.shadowTable());
    assertThat(text("SELECT count(*)::text FROM " + rebuild.shadowTable())).isEqualTo("1");
    assertThat(text("SELECT projection FROM projection_tables WHERE table_name = '" + rebuild.shadowTable() + "'"))
        .isEqualTo(rebuild.projection() + "#shadow-r1");

    execute("ALTER TABLE " + rebuild.shadowTable() + " ADD COLUMN extra int");
    connection.commit();
    assertThatThrownBy(() -> ShadowTables.create(connection, rebuild))
        .isInstanceOf(ShadowRefusedException.class).hasMessageContaining("exists with other columns");
  }

  @Test
  void readersNeverSeeAPartialTableOrAVersionGoBackDuringTheCutover() throws Exception {
    ShadowTables.create(connection, rebuild);
    fill(rebuild.shadowTable(), 2);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 150L, 1, 120L), 0);
    AtomicBoolean reading = new AtomicBoolean(true);
    List<String> violations = new ArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    Thread reader = new Thread(() -> {
      try (Connection readerConnection = postgres.connect(); Statement query = readerConnection.createStatement()) {
        long lowest = 0;
        while (reading.get()) {
          try (ResultSet rows = query.executeQuery("SELECT count(*), min(version) FROM " + rebuild.table())) {
            rows.next();
            if (rows.getInt(1) != ROWS || rows.getLong(2) < lowest) {
              violations.add(rows.getInt(1) + " rows, lowest version " + rows.getLong(2));
            }
            lowest = Math.max(lowest, rows.getLong(2));
            reads.incrementAndGet();
          }
        }
      } catch (SQLException e) {
        violations.add(e.toString());
      }
    });
    reader.start();
    Thread.sleep(300);

    ShadowCutover.Result result = ShadowCutover.cutover(connection, rebuild, false, LOCK_TIMEOUT);

    int before = reads.get();
    Thread.sleep(300);
    reading.set(false);
    reader.join();
    assertThat(violations).isEmpty();
    assertThat(before).isPositive();
    assertThat(reads.get()).isGreaterThan(before);
    assertThat(result.done()).isTrue();
    assertThat(result.newEpoch()).isEqualTo(4);
    assertThat(result.partitions()).isEqualTo(2);
    assertThat(result.lockHeld()).isLessThan(Duration.ofSeconds(1));
    assertThat(text("SELECT min(version)::text FROM " + rebuild.table())).isEqualTo("2");
    assertThat(watermarks(rebuild.projection())).isEqualTo(Map.of(0, "150@4", 1, "120@4"));
    assertThat(watermarks(rebuild.shadowProjection())).isEmpty();
    assertThat(ProjectionSchema.exists(connection, rebuild.qualifiedShadow())).isFalse();
    assertThat(ProjectionSchema.exists(connection, rebuild.qualifiedPrevious())).isFalse();
    connection.rollback();
    // A retry (the first run's answer lost) changes nothing and still reports the epoch in force.
    ShadowCutover.Result again = ShadowCutover.cutover(connection, rebuild, false, LOCK_TIMEOUT);
    assertThat(again.done()).isFalse();
    assertThat(again.newEpoch()).isEqualTo(4);
    assertThat(again.previousTable()).isNull();
    assertThat(watermarks(rebuild.projection())).isEqualTo(Map.of(0, "150@4", 1, "120@4"));
  }

  @Test
  void aZombieLiveMaterializerOnTheOldEpochWritesNothingAfterTheCutover() throws Exception {
    ShadowTables.create(connection, rebuild);
    fill(rebuild.shadowTable(), 2);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);
    WatermarkStore zombie = new WatermarkStore("public", NS, rebuild.projection());
    Watermark held = zombie.read(connection, 0);
    connection.rollback();

    ShadowCutover.cutover(connection, rebuild, false, LOCK_TIMEOUT);

    // The batch the zombie was about to commit: its rows, then the guarded advance that decides.
    execute("UPDATE " + rebuild.table() + " SET version = 1 WHERE workflow_key = 'k-0'");
    assertThat(zombie.advance(connection, 0, held, 101, null)).isFalse();
    connection.rollback();
    assertThat(text("SELECT version::text FROM " + rebuild.table() + " WHERE workflow_key = 'k-0'")).isEqualTo("2");
    assertThat(held.epoch()).isEqualTo(3);
    assertThat(watermarks(rebuild.projection())).containsEntry(0, "100@4");
  }

  @Test
  void theCutoverIsRefusedWhileTheShadowIsBehindAndChangesNothing() throws Exception {
    ShadowTables.create(connection, rebuild);
    fill(rebuild.shadowTable(), 2);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 150L, 1, 99L), 0);

    assertThatThrownBy(() -> ShadowCutover.cutover(connection, rebuild, true, LOCK_TIMEOUT))
        .isInstanceOfSatisfying(ShadowBehindException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.behind()).containsOnlyKeys(1);
        })
        .hasMessageContaining("1: shadow at 99, live at 100");

    assertThat(text("SELECT min(version)::text FROM " + rebuild.table())).isEqualTo("1");
    assertThat(watermarks(rebuild.projection())).isEqualTo(Map.of(0, "100@3", 1, "100@3"));
    assertThat(watermarks(rebuild.shadowProjection())).isEqualTo(Map.of(0, "150@0", 1, "99@0"));
    assertThat(ProjectionSchema.exists(connection, rebuild.qualifiedShadow())).isTrue();
    assertThat(ProjectionSchema.exists(connection, rebuild.qualifiedPrevious())).isFalse();
  }

  @Test
  void aCutoverThatCannotGetItsLockInTimeGivesUpAndChangesNothing() throws Exception {
    ShadowTables.create(connection, rebuild);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);
    try (Connection longReader = postgres.connect()) {
      longReader.setAutoCommit(false);
      longReader.createStatement().executeQuery("SELECT count(*) FROM " + rebuild.table()).close();

      long started = System.nanoTime();
      assertThatThrownBy(() -> ShadowCutover.cutover(connection, rebuild, false, Duration.ofMillis(200)))
          .isInstanceOfSatisfying(ShadowRefusedException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("within 200 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      longReader.rollback();
    }
    assertThat(watermarks(rebuild.projection())).isEqualTo(Map.of(0, "100@3", 1, "100@3"));
    assertThat(ProjectionSchema.exists(connection, rebuild.qualifiedShadow())).isTrue();
  }

  @Test
  void viewsOnTheLiveTableAreReportedAndRefuseTheCutover() throws Exception {
    execute("CREATE VIEW " + rebuild.table() + "_done AS SELECT * FROM " + rebuild.table() + " WHERE state = 'DONE'");
    connection.commit();
    ShadowTables.Created created = ShadowTables.create(connection, rebuild);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);

    assertThat(created.notCarried()).anyMatch(note -> note.contains(rebuild.table() + "_done"));
    assertThatThrownBy(() -> ShadowCutover.cutover(connection, rebuild, false, LOCK_TIMEOUT))
        .isInstanceOfSatisfying(ShadowRefusedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining(rebuild.table() + "_done");
    assertThat(watermarks(rebuild.projection())).isEqualTo(Map.of(0, "100@3", 1, "100@3"));
  }

  @Test
  void aForeignKeyToTheLiveTableRefusesADropButStaysWithTheKeptTable() throws Exception {
    String child = rebuild.table() + "_notes";
    execute("CREATE TABLE " + child + " (workflow_key text REFERENCES " + rebuild.table() + " (workflow_key))");
    connection.commit();
    ShadowTables.Created created = ShadowTables.create(connection, rebuild);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);

    assertThat(created.notCarried()).anyMatch(note -> note.contains(child + "." + child + "_workflow_key_fkey"));
    assertThatThrownBy(() -> ShadowCutover.cutover(connection, rebuild, false, LOCK_TIMEOUT))
        .isInstanceOfSatisfying(ShadowRefusedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("cannot be dropped");
    assertThat(ShadowCutover.cutover(connection, rebuild, true, LOCK_TIMEOUT).done()).isTrue();
    assertThat(text("SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = '" + child
        + "'::regclass")).isEqualTo(rebuild.previousTable());
    // A retry reports the kept table too.
    ShadowCutover.Result again = ShadowCutover.cutover(connection, rebuild, true, LOCK_TIMEOUT);
    assertThat(again.done()).isFalse();
    assertThat(again.previousTable()).isEqualTo(rebuild.previousTable());
    assertThat(again.newEpoch()).isEqualTo(4);
  }

  @Test
  void aCutoverForAnotherProjectionThanTheLiveTablesOwnerIsRefused() throws Exception {
    execute("INSERT INTO projection_tables (table_name, namespace, projection) VALUES ('" + rebuild.table()
        + "', '" + NS + "', 'someone-else')");
    connection.commit();
    ShadowTables.create(connection, rebuild);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);

    assertThatThrownBy(() -> ShadowCutover.cutover(connection, rebuild, false, LOCK_TIMEOUT))
        .isInstanceOf(ShadowRefusedException.class).hasMessageContaining("belongs to Projection orders/someone-else");
    assertThat(text("SELECT count(*) || '/' || min(version) FROM " + rebuild.table())).isEqualTo(ROWS + "/1");
  }

  @Test
  void discardDropsTheShadowAndItsWatermarksAndLeavesTheLiveProjectionAsItWas() throws Exception {
    ShadowTables.create(connection, rebuild);
    fill(rebuild.shadowTable(), 2);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 50L), 0);

    assertThat(ShadowTables.discard(connection, rebuild)).isTrue();

    assertThat(ProjectionSchema.exists(connection, rebuild.qualifiedShadow())).isFalse();
    assertThat(watermarks(rebuild.shadowProjection())).isEmpty();
    assertThat(text("SELECT count(*)::text FROM projection_tables WHERE table_name = '" + rebuild.shadowTable()
        + "'")).isEqualTo("0");
    assertThat(text("SELECT count(*) || '/' || min(version) FROM " + rebuild.table())).isEqualTo(ROWS + "/1");
    assertThat(watermarks(rebuild.projection())).isEqualTo(Map.of(0, "100@3", 1, "100@3"));
    assertThat(ShadowTables.discard(connection, rebuild)).isFalse();
  }

  @Test
  void keepPreviousLeavesTheOldTableQueryableUntilItIsDropped() throws Exception {
    ShadowTables.create(connection, rebuild);
    fill(rebuild.shadowTable(), 2);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);

    ShadowCutover.Result result = ShadowCutover.cutover(connection, rebuild, true, LOCK_TIMEOUT);

    assertThat(result.previousTable()).isEqualTo(rebuild.table() + "_prev_r1");
    assertThat(text("SELECT count(*) || '/' || min(version) FROM " + rebuild.previousTable())).isEqualTo(ROWS + "/1");
    assertThat(text("SELECT count(*) || '/' || min(version) FROM " + rebuild.table())).isEqualTo(ROWS + "/2");
    assertThat(text("SELECT projection FROM projection_tables WHERE table_name = '" + rebuild.previousTable() + "'"))
        .isEqualTo(rebuild.projection());
    connection.rollback();

    assertThat(ShadowTables.dropPrevious(connection, rebuild)).isTrue();
    assertThat(ProjectionSchema.exists(connection, rebuild.qualifiedPrevious())).isFalse();
    assertThat(ShadowTables.dropPrevious(connection, rebuild)).isFalse();
  }

  @Test
  void aSerialColumnsSequenceMovesToTheNewTableSoDroppingTheOldOneKeepsItsDefault() throws Exception {
    execute("ALTER TABLE " + rebuild.table() + " ADD COLUMN seq bigserial");
    connection.commit();
    ShadowTables.create(connection, rebuild);
    setWatermarks(rebuild.shadowProjection(), Map.of(0, 100L, 1, 100L), 0);

    ShadowCutover.cutover(connection, rebuild, true, LOCK_TIMEOUT);
    ShadowTables.dropPrevious(connection, rebuild);

    execute("INSERT INTO " + rebuild.table() + " (workflow_key, version) VALUES ('new', 1)");
    assertThat(text("SELECT seq::text FROM " + rebuild.table() + " WHERE workflow_key = 'new'"))
        .isEqualTo(String.valueOf(ROWS + 1));
  }

  private void fill(String table, long version) throws SQLException {
    execute("INSERT INTO " + table + " (workflow_key, version, state) SELECT 'k-' || i, " + version
        + ", 'S' || i FROM generate_series(0, " + (ROWS - 1) + ") i");
    connection.commit();
  }

  private void setWatermarks(String projection, Map<Integer, Long> offsets, long epoch) throws SQLException {
    for (Map.Entry<Integer, Long> row : offsets.entrySet()) {
      execute("INSERT INTO projection_watermarks (namespace, projection, partition, next_offset, epoch) VALUES ('"
          + NS + "', '" + projection + "', " + row.getKey() + ", " + row.getValue() + ", " + epoch + ")");
    }
    connection.commit();
  }

  private Map<Integer, String> watermarks(String projection) throws SQLException {
    Map<Integer, String> rows = new TreeMap<>();
    try (Statement query = connection.createStatement(); ResultSet result = query.executeQuery("SELECT partition, "
        + "next_offset, epoch FROM projection_watermarks WHERE namespace = '" + NS + "' AND projection = '"
        + projection + "'")) {
      while (result.next()) {
        rows.put(result.getInt(1), result.getLong(2) + "@" + result.getLong(3));
      }
    }
    connection.rollback();
    return rows;
  }

  private List<String> indexes(String table) throws SQLException {
    return List.of(text("SELECT string_agg(indexname, ',' ORDER BY indexname COLLATE \"C\") FROM pg_indexes WHERE tablename = '"
        + table + "'").split(","));
  }

  private String text(String sql) throws SQLException {
    try (Statement query = connection.createStatement(); ResultSet rows = query.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
