package io.reducer.workloads.materializer;

import java.util.regex.Pattern;

/**
 * SQL identifiers (schema and table names) come from configuration, so they are validated against the same
 * pattern the CRD enforces and always quoted; values are never part of SQL text.
 */
public final class Identifiers {

  public static final String PATTERN_TEXT = "^[a-z_][a-z0-9_]{0,62}$";
  private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);

  private Identifiers() {
  }

  public static boolean isValid(String name) {
    return name != null && PATTERN.matcher(name).matches();
  }

  /** Quotes a validated identifier; throws for anything else so no unchecked name reaches SQL text. */
  public static String quote(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException("invalid SQL identifier: " + name);
    }
    return '"' + name + '"';
  }

  public static String qualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }
}
