package io.reducer.workloads.materializer;

import io.reducer.workloads.cli.ConfigException;
import java.util.regex.Pattern;

/**
 * SQL identifiers (schema and table names) come from configuration, so they are validated against the same
 * pattern the CRD enforces and always quoted; values are never part of SQL text.
 */
public final class Identifiers {

  public static final String PATTERN_TEXT = "^[a-z_][a-z0-9_]{0,62}$";
  /** The rule, as messages state it. */
  public static final String RULE = "lower-case letters, digits and _, starting with a letter or _, at most 63";
  private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);

  private Identifiers() {
  }

  public static boolean isValid(String name) {
    return name != null && PATTERN.matcher(name).matches();
  }

  /** The value of an option naming a schema or table; a message naming the fix when it is not an identifier. */
  public static String checked(String flag, String variable, String value) throws ConfigException {
    if (!isValid(value)) {
      throw new ConfigException("invalid " + flag + " '" + value + "': it must match " + PATTERN_TEXT
          + " (lower-case letters, digits and _, at most 63 characters); fix " + flag + " or " + variable);
    }
    return value;
  }

  /** Quotes a validated identifier; throws for anything else so no unchecked name reaches SQL text. */
  public static String quote(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException("not a valid SQL identifier: " + name + " (" + RULE + ")");
    }
    return '"' + name + '"';
  }

  /**
   * Quotes a name read from the PostgreSQL catalog (a constraint's, say), which need not follow the pattern: doubled
   * quotes inside, as PostgreSQL's quote_ident does. Never for names from configuration.
   */
  static String quoteAny(String catalogName) {
    return '"' + catalogName.replace("\"", "\"\"") + '"';
  }

  public static String qualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }
}
