package io.reducer.workloads.postgres;

import java.util.Map;

import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.materializer.ReservedTables;

/** How the commands that work on a projection's database read its URL, login, schema and table from their options. */
public final class DatabaseOptions {

  private DatabaseOptions() {
  }

  /** The user from {@code PGUSER}, the only place a login comes from; trimmed. */
  public static String user(Map<String, String> env) throws ConfigException {
    String user = env.get("PGUSER");
    if (user == null || user.isBlank()) {
      throw new ConfigException("missing PostgreSQL user: set PGUSER (and PGPASSWORD) in the environment");
    }
    return user.trim();
  }

  public static String jdbcUrl(CommandOptions<ConfigException>.Values values, Option option) throws ConfigException {
    String url = values.text(option);
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(option.flag()
          + " must start with jdbc:postgresql:, e.g. jdbc:postgresql://db:5432/app");
    }
    return url;
  }

  public static String schema(CommandOptions<ConfigException>.Values values, Option option) throws ConfigException {
    return Identifiers.checked(option.flag(), option.variable(), values.text(option));
  }

  /** A projection table: an identifier, and none of the canonical store's or the watermark and owner tables. */
  public static String projectionTable(CommandOptions<ConfigException>.Values values, Option option)
      throws ConfigException {
    String table = Identifiers.checked(option.flag(), option.variable(), values.text(option));
    ReservedTables.check(option.flag(), option.variable(), table);
    return table;
  }
}
