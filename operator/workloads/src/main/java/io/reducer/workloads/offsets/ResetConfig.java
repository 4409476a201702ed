package io.reducer.workloads.offsets;

import static io.reducer.workloads.offsets.ResetOptions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.materializer.Namespaces;
import io.reducer.workloads.materializer.ProjectionGroups;
import io.reducer.workloads.materializer.ShadowNames;
import io.reducer.workloads.materializer.TableOwner;
import io.reducer.workloads.postgres.DatabaseOptions;

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

  private static final Map<ResetTargetType, Option> VALUE_OPTION = Map.of(
      ResetTargetType.OFFSET, OFFSETS,
      ResetTargetType.TIMESTAMP, TIMESTAMP,
      ResetTargetType.SHIFT_BY, SHIFT_BY,
      ResetTargetType.BY_DURATION, DURATION);
  private static final Pattern KAFKA_NAME = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

  public ResetConfig {
    partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
    if (dbPassword == null) {
      dbPassword = "";
    }
  }

  public static String usage() {
    return ResetOptions.OPTIONS.usage()
        + "\nexit codes: 0 done (or dry run), 1 failed (the message says whether the database changed),\n"
        + "2 bad configuration or a target that cannot be planned, 4 the consumer group still has members\n"
        + '\n' + KafkaClientSecurity.usage();
  }

  /** Parses {@code --flag value} and {@code --flag=value}; throws with a message that names the fix. */
  public static ResetConfig parse(List<String> args, Map<String, String> env) throws ConfigException {
    CommandOptions<ConfigException>.Values values = ResetOptions.OPTIONS.parse(args, env);
    String dbUser = DatabaseOptions.user(env);
    String table = DatabaseOptions.projectionTable(values, TABLE);
    String schema = DatabaseOptions.schema(values, SCHEMA);
    String projection = ShadowNames.checkedProjection(values.text(PROJECTION), table);
    String namespace = Namespaces.check(NAMESPACE.flag(), NAMESPACE.variable(), values.text(NAMESPACE));
    String group = ProjectionGroups.given(values.text(GROUP), namespace, projection);
    kafkaName("--topic (RESET_TOPIC)", values.text(TOPIC));
    kafkaName("--group (RESET_GROUP)", group);
    String jdbcUrl = DatabaseOptions.jdbcUrl(values, JDBC_URL);
    ResetTarget target = target(values);
    SortedSet<Integer> partitions = partitions(values.text(PARTITIONS));
    boolean rebuild = values.bool(REBUILD);
    if (rebuild && !partitions.isEmpty()) {
      throw new ConfigException("--rebuild truncates the whole projection table, so it cannot be limited with "
          + "--partitions: drop --partitions to reset every partition, or drop --rebuild");
    }
    Long expectedEpoch = epoch(values, EXPECTED_EPOCH);
    Long newEpoch = epoch(values, NEW_EPOCH);
    if (newEpoch != null && (expectedEpoch == null || newEpoch != expectedEpoch + 1)) {
      throw new ConfigException("--new-epoch must be --expected-epoch + 1 and needs --expected-epoch, got "
          + "--expected-epoch " + expectedEpoch + " --new-epoch " + newEpoch);
    }
    KafkaClientSecurity kafkaSecurity = KafkaClientSecurity.fromEnv(env, e -> new ConfigException(e.getMessage(), e));
    return new ResetConfig(values.text(BOOTSTRAP_SERVERS), kafkaSecurity, values.text(TOPIC), group, namespace,
        projection, jdbcUrl, dbUser, SecretText.withoutTrailingNewline(env.get("PGPASSWORD")),
        schema, table, target, partitions, rebuild, values.bool(DRY_RUN), expectedEpoch, newEpoch,
        terminationLog(values.text(TERMINATION_LOG)));
  }

  /** The Projection this reset acts for, as the owner of its table. */
  public TableOwner owner() {
    return TableOwner.of(namespace, projection, "");
  }

  /** Where the result goes when the flags could not even be parsed. */
  public static Path terminationLog(List<String> args, Map<String, String> env) {
    String fromEnv = env.getOrDefault(TERMINATION_LOG.variable(), "");
    try {
      return terminationLog(ResetOptions.OPTIONS.flagValue(args, TERMINATION_LOG, fromEnv).trim());
    } catch (ConfigException e) {
      return terminationLog(fromEnv.trim());
    }
  }

  @Override
  public String toString() {
    return "topic=" + topic + " group=" + group + " namespace=" + namespace + " projection=" + projection + " table=" + schema + "." + table
        + " target=" + target.describe() + " partitions=" + (partitions.isEmpty() ? "all" : partitions)
        + " rebuild=" + rebuild + " dryRun=" + dryRun + " expectedEpoch=" + expectedEpoch + " newEpoch=" + newEpoch
        + " bootstrap=" + bootstrapServers + " kafkaSecurity=" + kafkaSecurity + " jdbc=" + jdbcUrl + " user=" + dbUser;
  }

  private static ResetTarget target(CommandOptions<ConfigException>.Values values) throws ConfigException {
    ResetTargetType type = ResetTargetType.parse(values.text(TARGET));
    if (type == null) {
      throw new ConfigException("invalid --target '" + values.text(TARGET)
          + "': use earliest, latest, offset, timestamp, shift-by or by-duration");
    }
    for (Map.Entry<ResetTargetType, Option> entry : VALUE_OPTION.entrySet()) {
      Option option = entry.getValue();
      if (entry.getKey() == type && values.source(option) == null) {
        throw new ConfigException("--target " + type.cliName() + " needs " + option.flag() + " (" + option.variable()
            + ")");
      }
      if (entry.getKey() != type && values.source(option) != null) {
        throw new ConfigException(values.source(option) + " only goes with --target " + entry.getKey().cliName()
            + ", not with --target " + type.cliName() + ": remove it");
      }
    }
    switch (type) {
      case EARLIEST:
        return ResetTarget.earliest();
      case LATEST:
        return ResetTarget.latest();
      case OFFSET:
        return ResetTarget.offsets(offsets(values.text(OFFSETS)));
      case TIMESTAMP:
        return ResetTarget.timestamp(timestamp(values.text(TIMESTAMP)));
      case SHIFT_BY:
        return ResetTarget.shiftBy(number(values.text(SHIFT_BY), SHIFT_BY.flag(), Long.MIN_VALUE));
      case BY_DURATION:
        return ResetTarget.byDuration(duration(values.text(DURATION)));
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

  private static Long epoch(CommandOptions<ConfigException>.Values values, Option option) throws ConfigException {
    String text = values.text(option);
    return text.isEmpty() ? null : number(text, option.flag(), 0);
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

  private static void kafkaName(String what, String value) throws ConfigException {
    if (!KAFKA_NAME.matcher(value).matches()) {
      throw new ConfigException("invalid " + what + " '" + value + "': Kafka names use [a-zA-Z0-9._-], 1-249 characters");
    }
  }

  private static Path terminationLog(String text) {
    if (!text.isEmpty()) {
      return Path.of(text);
    }
    return Files.isWritable(KUBERNETES_TERMINATION_LOG) ? KUBERNETES_TERMINATION_LOG : null;
  }
}
