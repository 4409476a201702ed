package io.reducer.workloads.offsets;

import java.util.List;

import io.reducer.workloads.cli.CommandOptions.Kind;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.materializer.Namespaces;
import io.reducer.workloads.materializer.ProjectionGroups;

/**
 * The command line of {@code workloads offsets reset}: every flag, its environment variable and default. The
 * operator builds the reset Job's arguments and environment from these same options.
 */
public final class ResetOptions {

  public static final Option BOOTSTRAP_SERVERS = new Option("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null,
      "Kafka bootstrap servers");
  public static final Option TOPIC = new Option("--topic", "RESET_TOPIC", null,
      "the projection's source (state-committed) topic");
  public static final Option JDBC_URL = new Option("--jdbc-url", "RESET_JDBC_URL", null,
      "PostgreSQL JDBC URL (user: PGUSER, password: PGPASSWORD, environment only)");
  public static final Option TABLE = new Option("--table", "RESET_TABLE", "workflow_projection", "projection table");
  public static final Option SCHEMA = new Option("--schema", "RESET_SCHEMA", "public",
      "schema of the projection and watermark tables");
  public static final Option PROJECTION = new Option("--projection", "RESET_PROJECTION", "",
      "projection name in projection_watermarks (default: the table)");
  public static final Option NAMESPACE = new Option("--namespace", "RESET_NAMESPACE", Namespaces.DEFAULT,
      "Kubernetes namespace of the projection: part of the watermark key and of the table's owner");
  public static final Option GROUP = new Option("--group", "RESET_GROUP", "",
      "consumer group (default: " + ProjectionGroups.DEFAULT_FORM + ")");
  public static final Option TARGET = new Option("--target", "RESET_TARGET", null,
      "earliest, latest, offset, timestamp, shift-by or by-duration");
  public static final Option OFFSETS = new Option("--offsets", "RESET_OFFSETS", "",
      "with --target offset: partition=offset,..., e.g. 0=120,1=340");
  public static final Option TIMESTAMP = new Option("--timestamp", "RESET_TIMESTAMP", "",
      "with --target timestamp: RFC 3339, e.g. 2026-01-01T00:00:00Z");
  public static final Option SHIFT_BY = new Option("--shift-by", "RESET_SHIFT_BY", "",
      "with --target shift-by: records to move, e.g. -100");
  public static final Option DURATION = new Option("--duration", "RESET_DURATION", "",
      "with --target by-duration: ISO-8601 duration back from now, e.g. PT1H");
  public static final Option PARTITIONS = new Option("--partitions", "RESET_PARTITIONS", "",
      "reset only these partitions, e.g. 0,1 (default: all)");
  public static final Option REBUILD = new Option("--rebuild", "RESET_REBUILD", "false",
      "truncate the projection table in the same transaction", Kind.SWITCH);
  public static final Option DRY_RUN = new Option("--dry-run", "RESET_DRY_RUN", "false", "print the plan, change nothing",
      Kind.SWITCH);
  public static final Option EXPECTED_EPOCH = new Option("--expected-epoch", "RESET_EXPECTED_EPOCH", "",
      "refuse unless the projection's epoch is this");
  public static final Option NEW_EPOCH = new Option("--new-epoch", "RESET_NEW_EPOCH", "",
      "with --expected-epoch: the epoch after this reset; a run that finds the reset done only moves the group");
  public static final Option TERMINATION_LOG = TerminationMessage.LOG_OPTION;

  static final CommandOptions<ConfigException> OPTIONS = new CommandOptions<>(
      "usage: workloads offsets reset [options]\n\n"
          + "Moves a projection's watermarks and its consumer group's offsets together and bumps the epoch, with the\n"
          + "rules of kafka-consumer-groups --reset-offsets. The group must be empty (stop the materializers first).",
      List.of(BOOTSTRAP_SERVERS, TOPIC, JDBC_URL, TABLE, SCHEMA, PROJECTION, NAMESPACE, GROUP, TARGET, OFFSETS,
          TIMESTAMP, SHIFT_BY, DURATION, PARTITIONS, REBUILD, DRY_RUN, EXPECTED_EPOCH, NEW_EPOCH, TERMINATION_LOG),
      ConfigException::new);

  private ResetOptions() {
  }

  /** Every option the command accepts. */
  public static List<Option> all() {
    return OPTIONS.options();
  }
}
