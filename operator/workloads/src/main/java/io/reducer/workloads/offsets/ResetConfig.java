package io.reducer.workloads.offsets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.materializer.ConfigException;
import io.reducer.workloads.materializer.ReservedTables;
import io.reducer.workloads.materializer.ShadowNames;
import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.materializer.Namespaces;
import io.reducer.workloads.materializer.TableOwner;

/**
 * Settings of {@code offsets reset}. Each comes from a flag or, when the flag is absent, from an environment
 * variable (the form a Kubernetes Job uses). User and password come from {@code PGUSER} and {@code PGPASSWORD}
 * only, and Kafka security from the {@code KAFKA_*} variables of {@link KafkaClientSecurity} only, so no secret
 * appears in a process listing or in {@link #toString()}.
 *
 * @param partitions the partitions to reset; empty for all
 * @param expectedEpoch refuse unless the projection's epoch is this one (null: any)
 * @param newEpoch with expectedEpoch: the epoch a finished earlier run of the same plan left; such a run is only
 *     completed (group offsets), not repeated
 * @param terminationLog where to write the result JSON; null for nowhere
 */
public record ResetConfig(
    String bootstrapServers,
    KafkaClientSecurity kafkaSecurity,
    String topic,
    String group,
    String namespace,
    String projection,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String schema,
    String table,
    ResetTarget target,
    SortedSet<Integer> partitions,
    boolean rebuild,
    boolean dryRun,
    Long expectedEpoch,
    Long newEpoch,
    Path terminationLog) {

  /** Written by the kubelet into the container's termination message when it exists. */
  public static final Path KUBERNETES_TERMINATION_LOG = Path.of("/dev/termination-log");

  /** Flag, environment variable, default (null = required, "" = optional), description; the usage text's order. */
  static final List<String[]> OPTIONS = List.of(
      new String[] {"--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null, "Kafka bootstrap servers"},
      new String[] {"--topic", "RESET_TOPIC", null, "the projection's source (state-committed) topic"},
      new String[] {"--jdbc-url", "RESET_JDBC_URL", null,
          "PostgreSQL JDBC URL (user: PGUSER, password: PGPASSWORD, environment only)"},
      new String[] {"--table", "RESET_TABLE", "workflow_projection", "projection table"},
      new String[] {"--schema", "RESET_SCHEMA", "public", "schema of the projection and watermark tables"},
      new String[] {"--projection", "RESET_PROJECTION", "", "projection name in projection_watermarks (default: the table)"},
      new String[] {"--namespace", "RESET_NAMESPACE", Namespaces.DEFAULT,
          "Kubernetes namespace of the projection: part of the watermark key and of the table's owner"},
      new String[] {"--group", "RESET_GROUP", "", "consumer group (default: reducer-materializer-<projection>)"},
      new String[] {"--target", "RESET_TARGET", null, "earliest, latest, offset, timestamp, shift-by or by-duration"},
      new String[] {"--offsets", "RESET_OFFSETS", "", "with --target offset: partition=offset,..., e.g. 0=120,1=340"},
      new String[] {"--timestamp", "RESET_TIMESTAMP", "", "with --target timestamp: RFC 3339, e.g. 2026-01-01T00:00:00Z"},
      new String[] {"--shift-by", "RESET_SHIFT_BY", "", "with --target shift-by: records to move, e.g. -100"},
      new String[] {"--duration", "RESET_DURATION", "", "with --target by-duration: ISO-8601 duration back from now, e.g. PT1H"},
      new String[] {"--partitions", "RESET_PARTITIONS", "", "reset only these partitions, e.g. 0,1 (default: all)"},
      new String[] {"--rebuild", "RESET_REBUILD", "false", "truncate the projection table in the same transaction"},
      new String[] {"--dry-run", "RESET_DRY_RUN", "false", "print the plan, change nothing"},
      new String[] {"--expected-epoch", "RESET_EXPECTED_EPOCH", "", "refuse unless the projection's epoch is this"},
      new String[] {"--new-epoch", "RESET_NEW_EPOCH", "",
          "with --expected-epoch: the epoch after this reset; a run that finds the reset done only moves the group"},
      new String[] {"--termination-log", "TERMINATION_LOG", "",
          "file for the result JSON (default: " + KUBERNETES_TERMINATION_LOG + " when writable)"});

  private static final Set<String> SWITCHES = Set.of("--rebuild", "--dry-run");
  private static final Map<ResetTargetType, String> VALUE_FLAG = Map.of(
      ResetTargetType.OFFSET, "--offsets",
      ResetTargetType.TIMESTAMP, "--timestamp",
      ResetTargetType.SHIFT_BY, "--shift-by",
      ResetTargetType.BY_DURATION, "--duration");
  private static final Pattern KAFKA_NAME = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

  public ResetConfig {
    partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    if (dbPassword == null) {
      dbPassword = "";
    }
  }

  public static String usage() {
    StringBuilder text = new StringBuilder("usage: workloads offsets reset [options]\n\n"
        + "Moves a projection's watermarks and its consumer group's offsets together and bumps the epoch, with the\n"
        + "rules of kafka-consumer-groups --reset-offsets. The group must be empty (stop the materializers first).\n\n"
        + "options (flag, or environment variable):\n");
    for (String[] option : OPTIONS) {
      text.append(String.format("  %-20s %-24s %s%s%n", option[0], option[1], option[3],
          option[2] == null ? " (required)" : option[2].isEmpty() || SWITCHES.contains(option[0]) ? ""
              : " (default " + option[2] + ")"));
    }
    text.append("\nexit codes: 0 done (or dry run), 1 failed (the message says whether the database changed),\n"
        + "2 bad configuration or a target that cannot be planned, 4 the consumer group still has members\n");
    text.append('\n').append(KafkaClientSecurity.usage());
    return text.toString();
  }

  /** Parses {@code --flag value} and {@code --flag=value}; throws with a message that names the fix. */
  public static ResetConfig parse(List<String> args, Map<String, String> env) throws ConfigException {
    Map<String, String> flags = flags(args);
    Map<String, String> values = new HashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (String[] option : OPTIONS) {
      boolean fromFlag = flags.containsKey(option[0]);
      String value = fromFlag ? flags.get(option[0]) : env.get(option[1]);
      if (value == null || value.isBlank()) {
        if (option[2] == null) {
          throw new ConfigException("missing " + option[0] + ": pass " + option[0] + " <value> or set " + option[1]);
        }
        value = option[2];
      } else {
        sources.put(option[0], fromFlag ? option[0] : option[1]);
      }
      values.put(option[0], value.trim());
    }
    String dbUser = env.get("PGUSER");
    if (dbUser == null || dbUser.isBlank()) {
      throw new ConfigException("missing PostgreSQL user: set PGUSER (and PGPASSWORD) in the environment");
    }
    String table = identifier(values, "--table", "RESET_TABLE");
    ReservedTables.check("--table", "RESET_TABLE", table);
    String schema = identifier(values, "--schema", "RESET_SCHEMA");
    String projection = values.get("--projection").isEmpty() ? table : values.get("--projection");
    if (projection.length() > ShadowNames.maxProjectionLength(projection)) {
      throw new ConfigException("--projection is longer than " + ShadowNames.MAX_PROJECTION_LENGTH
          + " characters: use the Projection's name (a shadow rebuild's may add " + ShadowNames.IDENTITY_MARKER
          + "<rebuild id>)");
    }
    String namespace = Namespaces.check("--namespace", "RESET_NAMESPACE", values.get("--namespace"));
    String group = values.get("--group").isEmpty() ? "reducer-materializer-" + projection : values.get("--group");
    kafkaName("--topic (RESET_TOPIC)", values.get("--topic"));
    kafkaName("--group (RESET_GROUP)", group);
    if (!values.get("--jdbc-url").startsWith("jdbc:postgresql:")) {
      throw new ConfigException("--jdbc-url must start with jdbc:postgresql:, e.g. jdbc:postgresql://db:5432/app");
    }
    ResetTarget target = target(values, sources);
    SortedSet<Integer> partitions = partitions(values.get("--partitions"));
    boolean rebuild = bool(values, "--rebuild", "RESET_REBUILD");
    if (rebuild && !partitions.isEmpty()) {
      throw new ConfigException("--rebuild truncates the whole projection table, so it cannot be limited with "
          + "--partitions: drop --partitions to reset every partition, or drop --rebuild");
    }
    Long expectedEpoch = epoch(values, "--expected-epoch");
    Long newEpoch = epoch(values, "--new-epoch");
    if (newEpoch != null && (expectedEpoch == null || newEpoch != expectedEpoch + 1)) {
      throw new ConfigException("--new-epoch must be --expected-epoch + 1 and needs --expected-epoch, got "
          + "--expected-epoch " + expectedEpoch + " --new-epoch " + newEpoch);
    }
    KafkaClientSecurity kafkaSecurity = KafkaClientSecurity.fromEnv(env, e -> new ConfigException(e.getMessage(), e));
    return new ResetConfig(values.get("--bootstrap-servers"), kafkaSecurity, values.get("--topic"), group, namespace,
        projection, values.get("--jdbc-url"), dbUser.trim(), SecretText.withoutTrailingNewline(env.get("PGPASSWORD")), schema, table, target, partitions, rebuild,
        bool(values, "--dry-run", "RESET_DRY_RUN"), expectedEpoch, newEpoch, terminationLog(values));
  }

  /** The Projection this reset acts for, as the owner of its table. */
  public TableOwner owner() {
    return TableOwner.of(namespace, projection, "");
  }

  /** Where the result goes when the flags could not even be parsed. */
  public static Path terminationLog(List<String> args, Map<String, String> env) {
    try {
      return terminationLog(Map.of("--termination-log", flags(args).getOrDefault("--termination-log",
          env.getOrDefault("TERMINATION_LOG", "")).trim()));
    } catch (ConfigException e) {
      return terminationLog(Map.of("--termination-log", env.getOrDefault("TERMINATION_LOG", "").trim()));
    }
  }

  @Override
  public String toString() {
    return "topic=" + topic + " group=" + group + " namespace=" + namespace + " projection=" + projection + " table=" + schema + "." + table
        + " target=" + target.describe() + " partitions=" + (partitions.isEmpty() ? "all" : partitions)
        + " rebuild=" + rebuild + " dryRun=" + dryRun + " expectedEpoch=" + expectedEpoch + " newEpoch=" + newEpoch
        + " bootstrap=" + bootstrapServers + " kafkaSecurity=" + kafkaSecurity + " jdbc=" + jdbcUrl + " user=" + dbUser;
  }

  private static Map<String, String> flags(List<String> args) throws ConfigException {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (name.equals("--password") || name.equals("--db-password") || name.equals("--db-user")) {
        throw new ConfigException("credentials are not accepted as flags: set PGUSER and PGPASSWORD in the environment");
      }
      if (OPTIONS.stream().noneMatch(option -> option[0].equals(name))) {
        throw new ConfigException("unknown option: " + name + " (see --help)");
      }
      if (arg.contains("=")) {
        flags.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (SWITCHES.contains(name)) {
        flags.put(name, "true");
      } else if (i + 1 < args.size()) {
        flags.put(name, args.get(++i));
      } else {
        throw new ConfigException("option " + name + " needs a value");
      }
    }
    return flags;
  }

  private static ResetTarget target(Map<String, String> values, Map<String, String> sources) throws ConfigException {
    ResetTargetType type = ResetTargetType.parse(values.get("--target"));
    if (type == null) {
      throw new ConfigException("invalid --target '" + values.get("--target")
          + "': use earliest, latest, offset, timestamp, shift-by or by-duration");
    }
    for (Map.Entry<ResetTargetType, String> entry : VALUE_FLAG.entrySet()) {
      String flag = entry.getValue();
      if (entry.getKey() == type && !sources.containsKey(flag)) {
        throw new ConfigException("--target " + type.cliName() + " needs " + flag + " (" + envOf(flag) + ")");
      }
      if (entry.getKey() != type && sources.containsKey(flag)) {
        throw new ConfigException(sources.get(flag) + " only goes with --target " + entry.getKey().cliName()
            + ", not with --target " + type.cliName() + ": remove it");
      }
    }
    switch (type) {
      case EARLIEST:
        return ResetTarget.earliest();
      case LATEST:
        return ResetTarget.latest();
      case OFFSET:
        return ResetTarget.offsets(offsets(values.get("--offsets")));
      case TIMESTAMP:
        return ResetTarget.timestamp(timestamp(values.get("--timestamp")));
      case SHIFT_BY:
        return ResetTarget.shiftBy(number(values.get("--shift-by"), "--shift-by", Long.MIN_VALUE));
      case BY_DURATION:
        return ResetTarget.byDuration(duration(values.get("--duration")));
      default:
        throw new IllegalStateException("unknown target " + type);
    }
  }

  private static Map<Integer, Long> offsets(String text) throws ConfigException {
    Map<Integer, Long> offsets = new TreeMap<>();
    for (String item : text.split(",")) {
      String[] pair = item.trim().split("=");
      if (pair.length != 2) {
        throw new ConfigException("invalid --offsets item '" + item.trim() + "': use partition=offset, e.g. 0=120,1=340");
      }
      int partition = (int) number(pair[0].trim(), "--offsets partition", 0, Integer.MAX_VALUE);
      long offset = number(pair[1].trim(), "--offsets offset", 0);
      if (offsets.put(partition, offset) != null) {
        throw new ConfigException("--offsets lists partition " + partition + " twice");
      }
    }
    return offsets;
  }

  private static SortedSet<Integer> partitions(String text) throws ConfigException {
    SortedSet<Integer> partitions = new TreeSet<>();
    if (text.isEmpty()) {
      return partitions;
    }
    for (String item : text.split(",")) {
      partitions.add((int) number(item.trim(), "--partitions", 0, Integer.MAX_VALUE));
    }
    return partitions;
  }

  private static Instant timestamp(String text) throws ConfigException {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException("invalid --timestamp '" + text + "': use RFC 3339 with a zone, e.g. "
          + "2026-01-01T00:00:00Z or 2026-01-01T01:00:00+01:00");
    }
  }

  private static Duration duration(String text) throws ConfigException {
    Duration duration;
    try {
      duration = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException("invalid --duration '" + text + "': use an ISO-8601 duration, e.g. PT30M or P1DT12H");
    }
    if (duration.isNegative()) {
      throw new ConfigException("--duration must not be negative, got " + text + ": it counts back from now");
    }
    return duration;
  }

  private static Long epoch(Map<String, String> values, String flag) throws ConfigException {
    String text = values.get(flag);
    return text.isEmpty() ? null : number(text, flag, 0);
  }

  private static long number(String text, String what, long min) throws ConfigException {
    return number(text, what, min, Long.MAX_VALUE);
  }

  private static long number(String text, String what, long min, long max) throws ConfigException {
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        throw new ConfigException(what + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(what + " must be an integer, got '" + text + "'");
    }
  }

  private static boolean bool(Map<String, String> values, String flag, String variable) throws ConfigException {
    String text = values.get(flag).toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw new ConfigException(flag + " (" + variable + ") must be true or false, got '" + values.get(flag) + "'");
    }
    return Boolean.parseBoolean(text);
  }

  private static String identifier(Map<String, String> values, String flag, String variable) throws ConfigException {
    return Identifiers.checked(flag, variable, values.get(flag));
  }

  private static void kafkaName(String what, String value) throws ConfigException {
    if (!KAFKA_NAME.matcher(value).matches()) {
      throw new ConfigException("invalid " + what + " '" + value + "': Kafka names use [a-zA-Z0-9._-], 1-249 characters");
    }
  }

  private static Path terminationLog(Map<String, String> values) {
    String text = values.get("--termination-log");
    if (!text.isEmpty()) {
      return Path.of(text);
    }
    return Files.isWritable(KUBERNETES_TERMINATION_LOG) ? KUBERNETES_TERMINATION_LOG : null;
  }

  private static String envOf(String flag) {
    return OPTIONS.stream().filter(option -> option[0].equals(flag)).findFirst().map(option -> option[1]).orElse("");
  }
}
