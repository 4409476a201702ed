package io.reducer.controller.postgres;

import java.util.List;

/**
 * What the operator found or made of a pipeline's canonical store.
 *
 * @param previousVersion the version recorded before this reconcile; 0 when none was
 * @param tables for {@link Kind#Migrated}, the tables that did not exist before; for {@link Kind#Incomplete}, the
 *     missing ones; empty otherwise
 */
public record CanonicalStoreState(Kind kind, String schema, int version, int previousVersion, List<String> tables) {

  /** The three outcomes of a check. */
  public enum Kind {
    /** At the current version with every table: nothing was changed. */
    Current,
    /** Migrations were applied now (the store was created, adopted or upgraded). */
    Migrated,
    /** The recorded version is current but tables are missing: nothing was changed. */
    Incomplete
  }

  public CanonicalStoreState {
    tables = List.copyOf(tables);
  }

  static CanonicalStoreState current(String schema, int version) {
    return new CanonicalStoreState(Kind.Current, schema, version, version, List.of());
  }

  static CanonicalStoreState migrated(String schema, int from, int to, List<String> created) {
    return new CanonicalStoreState(Kind.Migrated, schema, to, from, created);
  }

  static CanonicalStoreState incomplete(String schema, int version, List<String> missing) {
    return new CanonicalStoreState(Kind.Incomplete, schema, version, version, missing);
  }
}
