package io.reducer.workloads.materializer;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Tables a projection must never be: the canonical store's, the projections' watermarks and their registry of
 * table owners. A materializer writing
 * into one would corrupt it, and a rebuild would TRUNCATE it, so every command that takes a projection table refuses
 * these names before it touches the database. The CRD refuses them too (ProjectionSpec), and the operator checks
 * again behind an outdated CRD.
 */
public final class ReservedTables {

  /** Every reserved name: {@link CanonicalSchema#TABLES}, {@link ProjectionSchema#WATERMARKS}, {@link ProjectionTables#TABLE}. */
  public static final List<String> NAMES = names();

  private ReservedTables() {
  }

  public static boolean isReserved(String table) {
    return NAMES.contains(table);
  }

  /** Refuses a reserved {@code table} given with {@code flag} (or {@code variable}), with the fix in the message. */
  public static void check(String flag, String variable, String table) throws ConfigException {
    if (isReserved(table)) {
      throw new ConfigException(flag + " '" + table + "' names a table of the canonical store or the projections' "
          + "watermarks (or their owners), not a projection table: materializing into it would corrupt it and a rebuild would truncate "
          + "it; fix " + flag + " or " + variable + " (reserved: " + String.join(", ", NAMES) + ")");
    }
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>(CanonicalSchema.TABLES);
    names.add(ProjectionSchema.WATERMARKS);
    names.add(ProjectionTables.TABLE);
    return List.copyOf(names);
  }
}
