package io.reducer.workloads.offsets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.materializer.Namespaces;
import io.reducer.workloads.materializer.ShadowNames;
import io.reducer.workloads.materializer.ShadowRebuild;
import io.reducer.workloads.postgres.DatabaseOptions;

/**
 * Settings of {@code offsets shadow <action>}. Each comes from a flag or, when the flag is absent, from an environment
 * variable (the form a Kubernetes Job uses); user and password from {@code PGUSER} and {@code PGPASSWORD} only.
 *
 * @param terminationLog where to write the result JSON; null for nowhere
 */
public record ShadowConfig(ShadowAction action, String jdbcUrl, String dbUser, String dbPassword,
    ShadowRebuild rebuild, boolean keepPrevious, Duration lockTimeout, Path terminationLog) {

  public ShadowConfig {
    dbPassword = dbPassword == null ? "" : dbPassword;
  }

  public static String usage() {
    return ShadowOptions.OPTIONS.usage() + "\nexit codes: 0 done (or nothing left to do), 1 failed, 2 bad configuration or refused"
        + " (the message says why),\n6 not yet (the shadow is behind, or the locks were not granted in time): run it"
        + " again later\n";
  }

  /** Parses the action and its options; throws with a message that names the fix. */
  public static ShadowConfig parse(List<String> args, Map<String, String> env) throws ConfigException {
    if (args.isEmpty()) {
      throw new ConfigException("missing action: offsets shadow " + ShadowAction.names());
    }
    ShadowAction action = ShadowAction.parse(args.get(0));
    CommandOptions<ConfigException>.Values values = ShadowOptions.OPTIONS.parse(args.subList(1, args.size()), env);
    String dbUser = DatabaseOptions.user(env);
    String jdbcUrl = DatabaseOptions.jdbcUrl(values, ShadowOptions.JDBC_URL);
    String table = DatabaseOptions.projectionTable(values, ShadowOptions.TABLE);
    String schema = DatabaseOptions.schema(values, ShadowOptions.SCHEMA);
    String projection = values.text("--projection").isEmpty() ? table : values.text("--projection");
    if (projection.length() > ShadowNames.MAX_PROJECTION_LENGTH || ShadowNames.isShadowProjection(projection)) {
      throw new ConfigException("--projection must be the live projection's name, at most "
          + ShadowNames.MAX_PROJECTION_LENGTH + " characters and not a shadow's (" + ShadowNames.IDENTITY_MARKER
          + "...)");
    }
    String namespace = Namespaces.check("--namespace", "SHADOW_NAMESPACE", values.text("--namespace"));
    String rebuildId = values.text("--rebuild-id");
    if (!ShadowNames.isValidRebuildId(rebuildId)) {
      throw new ConfigException("invalid --rebuild-id '" + rebuildId + "': it must match "
          + ShadowNames.REBUILD_ID_PATTERN_TEXT + " (lower-case letters and digits, at most 12); fix --rebuild-id or"
          + " SHADOW_REBUILD_ID");
    }
    String terminationLog = values.text("--termination-log");
    return new ShadowConfig(action, jdbcUrl, dbUser, SecretText.withoutTrailingNewline(env.get("PGPASSWORD")),
        new ShadowRebuild(schema, table, namespace, projection, rebuildId), values.bool("--keep-previous"),
        Duration.ofMillis(values.longValue("--lock-timeout-ms", 1, 60_000)),
        TerminationMessage.path(terminationLog.isEmpty() ? null : terminationLog));
  }

  @Override
  public String toString() {
    return "action=" + action.word() + " jdbc=" + jdbcUrl + " user=" + dbUser + " table=" + rebuild.schema() + "."
        + rebuild.table() + " namespace=" + rebuild.namespace() + " projection=" + rebuild.projection()
        + " rebuildId=" + rebuild.rebuildId() + " keepPrevious=" + keepPrevious + " lockTimeoutMs="
        + lockTimeout.toMillis();
  }
}
