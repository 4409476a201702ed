package io.reducer.controller.postgres;

import java.util.regex.Pattern;

/** Quoting for identifiers that come from a custom resource; values always go in as bound parameters. */
public final class SqlIdentifiers {

  // The same rule the CRD schema enforces; checked again because SQL is built here.
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  private SqlIdentifiers() {
  }

  /** The identifier in double quotes; refuses anything outside the CRD's identifier pattern. */
  public static String quote(String identifier) {
    if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
      throw new IllegalArgumentException("not a valid SQL identifier: " + identifier
          + " (lower-case letters, digits and _, starting with a letter or _, at most 63)");
    }
    return '"' + identifier + '"';
  }

  /** schema.table, both quoted. */
  public static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }
}
