package io.reducer.workloads.materializer;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Gives the shadow table the live table's definition, inside the caller's transaction. {@code LIKE ... INCLUDING ALL}
 * carries columns, defaults, NOT NULL and CHECK constraints, identity and generated columns, storage, compression,
 * extended statistics and column comments. The rest is read from the catalog and applied here: indexes and
 * primary-key, unique and exclusion constraints (under names derived for the shadow, so the cutover can give them the
 * live names back), table and column grants, reloptions (fillfactor, autovacuum, toast.*), the table comment, row-level
 * security and its policies, and the owner when the current role may give it. What stays behind is listed by
 * {@link #notCarried}.
 */
final class ShadowDefinition {

  private static final Pattern RELOPTION_NAME = Pattern.compile("^[a-z_][a-z0-9_]*$");
  private static final String REFERENCING_FOREIGN_KEYS = "SELECT conrelid::regclass || '.' || conname AS fk "
      + "FROM pg_catalog.pg_constraint WHERE confrelid = to_regclass(?) AND contype = 'f'";
  private static final String DEPENDENT_VIEWS = "SELECT DISTINCT v.oid::regclass::text AS view FROM "
      + "pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite w ON w.oid = d.objid JOIN pg_catalog.pg_class v "
      + "ON v.oid = w.ev_class WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass "
      + "AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = to_regclass(?) AND v.oid <> d.refobjid";

  private ShadowDefinition() {
  }

  /** Creates the shadow from the live table; fails if it exists. */
  static void create(Connection connection, ShadowRebuild rebuild) throws SQLException {
    String shadow = rebuild.qualifiedShadow();
    List<String> statements = new ArrayList<>();
    // Indexes separately, to name them: LIKE's generated names are neither derived nor stable.
    statements.add("CREATE TABLE " + shadow + " (LIKE " + rebuild.qualifiedLive()
        + " INCLUDING ALL EXCLUDING INDEXES)");
    statements.addAll(indexStatements(connection, rebuild));
    statements.addAll(grantStatements(connection, rebuild));
    String reloptions = reloptions(connection, rebuild);
    if (!reloptions.isEmpty()) {
      statements.add("ALTER TABLE " + shadow + " SET (" + reloptions + ")");
    }
    statements.addAll(tableStatements(connection, rebuild));
    statements.addAll(policyStatements(connection, rebuild));
    try (Statement ddl = connection.createStatement()) {
      for (String statement : statements) {
        ddl.execute(statement);
      }
    }
  }

  /**
   * Gives the shadow the live table's owner when the current role may (it is a member of that role); otherwise the
   * shadow keeps the current role and the returned note says so.
   */
  static List<String> takeOwner(Connection connection, ShadowRebuild rebuild) throws SQLException {
    String owner = CatalogQuery.texts(connection, "SELECT pg_get_userbyid(relowner) FROM pg_catalog.pg_class "
        + "WHERE oid = to_regclass(?)", rebuild.qualifiedLive()).get(0);
    String current = CatalogQuery.texts(connection, "SELECT current_user::text").get(0);
    if (owner.equals(current)) {
      return List.of();
    }
    Savepoint before = connection.setSavepoint();
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("ALTER TABLE " + rebuild.qualifiedShadow() + " OWNER TO " + Identifiers.quoteAny(owner));
      connection.releaseSavepoint(before);
      return List.of();
    } catch (SQLException e) {
      connection.rollback(before);
      return List.of("owner: the live table belongs to " + owner + ", the shadow to " + current + " ("
          + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  /** What the shadow does not carry over from the live table, one line each; empty when nothing is left behind. */
  static List<String> notCarried(Connection connection, ShadowRebuild rebuild) throws SQLException {
    String live = rebuild.qualifiedLive();
    return CatalogQuery.texts(connection, "SELECT 'trigger ' || tgname FROM pg_catalog.pg_trigger "
        + "WHERE tgrelid = to_regclass(?) AND NOT tgisinternal "
        + "UNION ALL SELECT 'rule ' || rulename FROM pg_catalog.pg_rewrite WHERE ev_class = to_regclass(?) "
        + "AND rulename <> '_RETURN' "
        + "UNION ALL SELECT 'foreign key ' || conname FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass(?) "
        + "AND contype = 'f' "
        + "UNION ALL SELECT 'foreign key referencing it (stays on the old table): ' || fk FROM ("
        + REFERENCING_FOREIGN_KEYS + ") fks "
        + "UNION ALL SELECT 'publication ' || p.pubname FROM pg_catalog.pg_publication_rel r JOIN "
        + "pg_catalog.pg_publication p ON p.oid = r.prpubid WHERE r.prrelid = to_regclass(?) "
        + "UNION ALL SELECT 'dependent view (a cutover refuses while it exists): ' || view FROM ("
        + DEPENDENT_VIEWS + ") views ORDER BY 1", live, live, live, live, live, live);
  }

  /** Kinds of the rows {@link #cutoverFacts} gives. */
  enum Fact { VIEW, REFERENCING_FOREIGN_KEY, INDEX, REOWN_SEQUENCE }

  /**
   * Adds to {@code batch} one query for what a cutover must know of the live table, as rows (fact, text), sorted:
   * views and materialized views that read it (they hold its OID, so a rename would leave them behind), foreign keys
   * of other tables to it ({@code table.constraint}), the names of its indexes, and {@code ALTER SEQUENCE ... OWNED BY
   * shadow.column} for each sequence a live column owns (serial columns: LIKE copies their defaults, so both tables
   * draw from one sequence, and it must not go when the live table is dropped).
   */
  static List<Map.Entry<Fact, String>> cutoverFacts(SqlBatch batch, ShadowRebuild rebuild) {
    String live = rebuild.qualifiedLive();
    return batch.query("SELECT 'VIEW', view FROM (" + DEPENDENT_VIEWS + ") views "
        + "UNION ALL SELECT 'REFERENCING_FOREIGN_KEY', fk FROM (" + REFERENCING_FOREIGN_KEYS + ") fks "
        + "UNION ALL SELECT 'INDEX', c.relname::text FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c "
        + "ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(?) "
        + "UNION ALL SELECT 'REOWN_SEQUENCE', 'ALTER SEQUENCE ' || d.objid::regclass || ' OWNED BY ' || ? "
        + "|| '.' || quote_ident(a.attname) FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s "
        + "ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid "
        + "AND a.attnum = d.refobjsubid WHERE d.classid = 'pg_catalog.pg_class'::regclass "
        + "AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a' AND d.refobjid = to_regclass(?) "
        + "ORDER BY 1, 2", row -> Map.entry(Fact.valueOf(row.getString(1)), row.getString(2)),
        live, live, live, rebuild.qualifiedShadow(), live);
  }

  /** Column names and types, in order: a shadow found from an earlier run must match the live table. */
  static String columns(Connection connection, String qualifiedTable) throws SQLException {
    return CatalogQuery.texts(connection, "SELECT coalesce(string_agg(quote_ident(attname) || ' ' || "
        + "format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END, ', ' "
        + "ORDER BY attnum), '') FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 "
        + "AND NOT attisdropped", qualifiedTable).get(0);
  }

  /** The names of a table's indexes, sorted. */
  static List<String> indexes(Connection connection, String qualifiedTable) throws SQLException {
    return CatalogQuery.texts(connection, "SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c "
        + "ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(?) ORDER BY 1", qualifiedTable);
  }

  /** A constraint for each index backing a primary key, unique or exclusion constraint, an index for the others. */
  private static List<String> indexStatements(Connection connection, ShadowRebuild rebuild) throws SQLException {
    String shadow = rebuild.qualifiedShadow();
    return CatalogQuery.rows(connection, "SELECT c.relname, i.indisunique, pg_get_indexdef(i.indexrelid), "
        + "pg_get_constraintdef(k.oid) FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c "
        + "ON c.oid = i.indexrelid LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid "
        + "AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x') WHERE i.indrelid = to_regclass(?) "
        + "ORDER BY 1", row -> {
          String name = Identifiers.quoteAny(ShadowNames.shadowIndex(row.getString(1), rebuild.rebuildId()));
          String constraint = row.getString(4);
          if (constraint != null) {
            return "ALTER TABLE " + shadow + " ADD CONSTRAINT " + name + " " + constraint;
          }
          // pg_get_indexdef: CREATE [UNIQUE] INDEX name ON table USING method (...) [INCLUDE] [WITH] [WHERE]
          String definition = row.getString(3);
          String method = definition.substring(definition.indexOf(" USING ", definition.indexOf(" ON ")));
          return "CREATE " + (row.getBoolean(2) ? "UNIQUE " : "") + "INDEX " + name + " ON " + shadow + method;
        }, rebuild.qualifiedLive());
  }

  /** Table privileges, then column privileges ({@code UPDATE (state)}); the owner's own are implied. */
  private static List<String> grantStatements(Connection connection, ShadowRebuild rebuild) throws SQLException {
    String live = rebuild.qualifiedLive();
    return CatalogQuery.rows(connection, "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN NULL "
        + "ELSE pg_get_userbyid(a.grantee) END, a.is_grantable FROM pg_catalog.pg_class c, aclexplode(c.relacl) a "
        + "WHERE c.oid = to_regclass(?) AND a.grantee <> c.relowner UNION ALL "
        + "SELECT a.privilege_type || ' (' || quote_ident(t.attname) || ')', CASE WHEN a.grantee = 0 THEN NULL "
        + "ELSE pg_get_userbyid(a.grantee) END, a.is_grantable FROM pg_catalog.pg_attribute t JOIN "
        + "pg_catalog.pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a WHERE t.attrelid = to_regclass(?) "
        + "AND NOT t.attisdropped AND a.grantee <> c.relowner ORDER BY 2, 1",
        row -> "GRANT " + row.getString(1) + " ON " + rebuild.qualifiedShadow() + " TO "
            + (row.getString(2) == null ? "PUBLIC" : Identifiers.quoteAny(row.getString(2)))
            + (row.getBoolean(3) ? " WITH GRANT OPTION" : ""), live, live);
  }

  /** {@code fillfactor = '50', toast.autovacuum_enabled = 'false'}: the table's and its TOAST table's options. */
  private static String reloptions(Connection connection, ShadowRebuild rebuild) throws SQLException {
    String live = rebuild.qualifiedLive();
    List<String> options = CatalogQuery.rows(connection, "SELECT '', unnest(c.reloptions) FROM pg_catalog.pg_class c "
        + "WHERE c.oid = to_regclass(?) UNION ALL SELECT 'toast.', unnest(t.reloptions) FROM pg_catalog.pg_class c "
        + "JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid WHERE c.oid = to_regclass(?)", row -> {
          String option = row.getString(2);
          String name = option.substring(0, option.indexOf('='));
          if (!RELOPTION_NAME.matcher(name).matches()) {
            throw new SQLException("unexpected reloption name '" + name + "' on " + live);
          }
          return row.getString(1) + name + " = " + literal(option.substring(option.indexOf('=') + 1));
        }, live, live);
    return String.join(", ", options);
  }

  /** The table comment and row-level security switches. */
  private static List<String> tableStatements(Connection connection, ShadowRebuild rebuild) throws SQLException {
    String shadow = rebuild.qualifiedShadow();
    return CatalogQuery.rows(connection, "SELECT obj_description(oid, 'pg_class'), relrowsecurity, "
        + "relforcerowsecurity FROM pg_catalog.pg_class WHERE oid = to_regclass(?)", row -> {
          List<String> statements = new ArrayList<>();
          if (row.getString(1) != null) {
            statements.add("COMMENT ON TABLE " + shadow + " IS " + literal(row.getString(1)));
          }
          if (row.getBoolean(2)) {
            statements.add("ALTER TABLE " + shadow + " ENABLE ROW LEVEL SECURITY");
          }
          if (row.getBoolean(3)) {
            statements.add("ALTER TABLE " + shadow + " FORCE ROW LEVEL SECURITY");
          }
          return statements;
        }, rebuild.qualifiedLive()).get(0);
  }

  private static List<String> policyStatements(Connection connection, ShadowRebuild rebuild) throws SQLException {
    return CatalogQuery.rows(connection, "SELECT p.polname, p.polpermissive, p.polcmd, "
        + "ARRAY(SELECT CASE WHEN r = 0 THEN NULL ELSE pg_get_userbyid(r) END FROM unnest(p.polroles) r), "
        + "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_catalog.pg_policy p "
        + "WHERE p.polrelid = to_regclass(?) ORDER BY 1", row -> {
          List<String> roles = new ArrayList<>();
          Array array = row.getArray(4);
          for (Object role : (Object[]) array.getArray()) {
            roles.add(role == null ? "PUBLIC" : Identifiers.quoteAny((String) role));
          }
          String command = switch (row.getString(3)) {
            case "r" -> "SELECT";
            case "a" -> "INSERT";
            case "w" -> "UPDATE";
            case "d" -> "DELETE";
            default -> "ALL";
          };
          return "CREATE POLICY " + Identifiers.quoteAny(row.getString(1)) + " ON " + rebuild.qualifiedShadow()
              + " AS " + (row.getBoolean(2) ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + command + " TO "
              + String.join(", ", roles)
              + (row.getString(5) == null ? "" : " USING (" + row.getString(5) + ")")
              + (row.getString(6) == null ? "" : " WITH CHECK (" + row.getString(6) + ")");
        }, rebuild.qualifiedLive());
  }

  /** A string literal for DDL, which takes no parameters; standard_conforming_strings is on since PostgreSQL 9.1. */
  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
