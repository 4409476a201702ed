package io.reducer.controller.postgres;

import java.util.regex.Pattern;

/** Quoting for identifiers that come from a custom resource; values always go in as bound parameters. */
public final class SqlIdentifiers {

  // The same rule the CRD schema enforces; checked again because SQL is built here.
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  private SqlIdentifiers() {
  }

  /** The rule, as messages state it. */
  public static final String RULE = "lower-case letters, digits and _, starting with a letter or _, at most 63";

  /** True when {@code identifier} matches the CRD's identifier pattern and can be quoted. */
  public static boolean valid(String identifier) {
    return identifier != null && IDENTIFIER.matcher(identifier).matches();
  }

  /** The identifier in double quotes; refuses anything outside the CRD's identifier pattern. */
  public static String quote(String identifier) {
    if (!valid(identifier)) {
      throw new IllegalArgumentException("not a valid SQL identifier: " + identifier + " (" + RULE + ")");
    }
    return '"' + identifier + '"';
  }

  /** schema.table, both quoted. */
  public static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }
}
