package io.reducer.workloads.dlq;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.reducer.workloads.cli.CommandOptions.Kind;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaClientSecurity;

/**
 * The flags of {@code dlq inspect} and {@code dlq replay}, parsed by {@link CommandOptions}. Each also comes from an
 * environment variable when the flag is absent (the form a Kubernetes Job may use). List flags take comma-separated
 * values and may be repeated; repeated flags ({@code --correlation-id}) take one whole value each, commas included,
 * and their variable holds a JSON array of strings.
 */
public final class DlqOptions {

  public static final Option BOOTSTRAP_SERVERS = new Option("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null,
      "Kafka bootstrap servers");

  public static final Option DLQ_TOPIC = new Option("--dlq-topic", "DLQ_TOPIC", null, "dead-letter topic to read");

  public static final Option SNAPSHOT = new Option("--snapshot", "DLQ_SNAPSHOT", "",
      "end offsets to stop at, e.g. 0=120,1=88 (default: the current end offsets, printed)");

  public static final Option PARTITIONS = new Option("--partitions", "DLQ_PARTITIONS", "",
      "only these DLQ partitions, e.g. 0,2", Kind.LIST);

  public static final Option CORRELATION_IDS = new Option("--correlation-ids", "DLQ_CORRELATION_IDS", "",
      "only records with these correlation ids (comma-separated; for ids with commas use --correlation-id)",
      Kind.LIST);

  public static final Option CORRELATION_ID = new Option("--correlation-id", "DLQ_CORRELATION_IDS_JSON", "",
      "only records with this correlation id, taken whole; repeat it for more (variable: a JSON array)",
      Kind.REPEATED);

  public static final Option INCLUDE_ERROR_TYPES = new Option("--include-error-types", "DLQ_INCLUDE_ERROR_TYPES", "",
      "only these error types", Kind.LIST);

  public static final Option EXCLUDE_ERROR_TYPES = new Option("--exclude-error-types", "DLQ_EXCLUDE_ERROR_TYPES", "",
      "leave these error types", Kind.LIST);

  public static final Option FROM = new Option("--from", "DLQ_FROM", "",
      "only records with a DLQ timestamp at or after (RFC 3339)");

  public static final Option TO = new Option("--to", "DLQ_TO", "",
      "only records with a DLQ timestamp before (RFC 3339)");

  public static final Option LIMIT = new Option("--limit", "DLQ_LIMIT", "",
      "at most this many matching records, in DLQ order");

  public static final Option MAX_REPLAYS = new Option("--max-replays", "DLQ_MAX_REPLAYS", "3",
      "skip records whose x-replay-count reached this (loop guard)");

  public static final Option TARGET_TOPIC = new Option("--target-topic", "DLQ_TARGET_TOPIC", "",
      "send every record here (default: each record's original topic)");

  public static final Option ALLOWED_TARGETS = new Option("--allowed-targets", "DLQ_ALLOWED_TARGETS", "",
      "only these topics may receive records; others are skipped as targetNotAllowed (default: any)", Kind.LIST);

  public static final Option REPLAY_AGAIN = new Option("--replay-again", "DLQ_REPLAY_AGAIN", "false",
      "true: also replay records an earlier replay already sent (see --ledger-topic)");

  public static final Option LEDGER_TOPIC = new Option("--ledger-topic", "DLQ_LEDGER_TOPIC", "",
      "topic recording which DLQ records were replayed (default <dlq topic>.replayed)");

  public static final Option TERMINATION_LOG = TerminationMessage.LOG_OPTION;

  public static final Option RESULT_GROUP = new Option("--result-group", "DLQ_RESULT_GROUP", "",
      "inspect only: commit the snapshot and per-partition counts for this consumer group (offset metadata) "
          + "and keep the termination message a summary");

  public static final Option REPLAY_NAME = new Option("--replay-name", "DLQ_REPLAY_NAME", null,
      "name of this replay: transactional.id reducer-dlq-replay.<name>, header x-replay-name");

  public static final Option GROUP = new Option("--group", "DLQ_GROUP", "",
      "consumer group holding the replay's position (default reducer-dlq-replay.<name>)");

  public static final Option RATE_PER_SECOND = new Option("--rate-per-second", "DLQ_RATE_PER_SECOND", "0",
      "most records republished per second; 0 = no limit");

  public static final Option BATCH_RECORDS = new Option("--batch-records", "DLQ_BATCH_RECORDS", "50000",
      "records per transaction (a transaction also ends after --batch-ms)");

  public static final Option BATCH_MS = new Option("--batch-ms", "DLQ_BATCH_MS", "1000",
      "longest a transaction stays open, in ms");

  public static final Option PROGRESS_FILE = new Option("--progress-file", "DLQ_PROGRESS_FILE", "",
      "file rewritten with the progress JSON while the replay runs");

  public static final Option PROGRESS_INTERVAL_MS = new Option("--progress-interval-ms", "DLQ_PROGRESS_INTERVAL_MS",
      "5000", "how often progress is printed and the progress file rewritten");

  /** Options of {@code dlq inspect} that {@code dlq replay} does not take. */
  static final Set<Option> INSPECT_ONLY = Set.of(RESULT_GROUP);
  /** Options of {@code dlq replay} that {@code dlq inspect} does not take. */
  static final Set<Option> REPLAY_ONLY = Set.of(REPLAY_NAME, GROUP, RATE_PER_SECOND, BATCH_RECORDS, BATCH_MS,
      PROGRESS_FILE, PROGRESS_INTERVAL_MS);

  /** Every option, in the order of the usage text. */
  static final List<Option> OPTIONS = List.of(BOOTSTRAP_SERVERS, DLQ_TOPIC, SNAPSHOT, PARTITIONS, CORRELATION_IDS,
      CORRELATION_ID, INCLUDE_ERROR_TYPES, EXCLUDE_ERROR_TYPES, FROM, TO, LIMIT, MAX_REPLAYS, TARGET_TOPIC,
      ALLOWED_TARGETS, REPLAY_AGAIN, LEDGER_TOPIC, TERMINATION_LOG, RESULT_GROUP, REPLAY_NAME, GROUP,
      RATE_PER_SECOND, BATCH_RECORDS, BATCH_MS, PROGRESS_FILE, PROGRESS_INTERVAL_MS);

  private static final CommandOptions<ConfigException> INSPECT = new CommandOptions<>(
      "usage: workloads dlq inspect [options]\n\n"
          + "Counts the records of a dead-letter topic a replay would select; changes nothing.",
      OPTIONS.stream().filter(option -> !REPLAY_ONLY.contains(option)).toList(), ConfigException::new);
  private static final CommandOptions<ConfigException> REPLAY = new CommandOptions<>(
      "usage: workloads dlq replay [options]\n\n"
          + "Republishes the selected records of a dead-letter topic exactly once.",
      OPTIONS.stream().filter(option -> !INSPECT_ONLY.contains(option)).toList(), ConfigException::new);

  private DlqOptions() {
  }

  static String usage(String command) {
    boolean replay = command.equals("replay");
    return (replay ? REPLAY : INSPECT).usage() + '\n' + KafkaClientSecurity.usage()
        + "\nexit codes: 0 done, 1 failed (" + (replay ? "a retry resumes" : "try again") + "), 2 configuration error"
        + (replay ? ", 3 fenced by another process of the same replay" : "") + '\n';
  }

  /** Kafka security from the {@code KAFKA_*} variables (environment only, so no secret is in a process listing). */
  static KafkaClientSecurity kafkaSecurity(Map<String, String> env) throws ConfigException {
    return KafkaClientSecurity.fromEnv(env, e -> new ConfigException(e.getMessage(), e));
  }

  /**
   * The values of every option of this command: flag, else environment variable, else default; list options split
   * on commas, each value of a repeated option whole. Throws with the fix on an unknown, valueless, repeated single
   * or missing required option.
   */
  public static Map<String, List<String>> parse(String command, List<String> args, Map<String, String> env)
      throws ConfigException {
    CommandOptions<ConfigException> options = command.equals("replay") ? REPLAY : INSPECT;
    CommandOptions<ConfigException>.Values values = options.parse(args, env);
    Map<String, List<String>> parsed = new HashMap<>();
    for (Option option : options.options()) {
      parsed.put(option.flag(), values.list(option));
    }
    return parsed;
  }
}
