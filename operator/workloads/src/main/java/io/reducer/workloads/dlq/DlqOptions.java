package io.reducer.workloads.dlq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaClientSecurity;

/**
 * The flags of {@code dlq inspect} and {@code dlq replay}. Each also comes from an environment variable when the
 * flag is absent (the form a Kubernetes Job may use). List flags take comma-separated values and may be repeated;
 * repeated flags ({@code --correlation-id}) take one whole value each, commas included, and their variable holds
 * a JSON array of strings.
 */
public final class DlqOptions {

  /** How an option's values are given. */
  public enum Kind {
    /** One value. */
    SINGLE,
    /** Comma-separated values; the flag may be repeated. */
    LIST,
    /** One whole value per flag, never split; the variable is a JSON array of strings. */
    REPEATED
  }

  /** One option; {@code defaultValue} null means required, "" means none. */
  public record Option(String flag, String variable, String defaultValue, boolean replayOnly, Kind kind,
      String description) {

    Option(String flag, String variable, String defaultValue, boolean replayOnly, boolean list, String description) {
      this(flag, variable, defaultValue, replayOnly, list ? Kind.LIST : Kind.SINGLE, description);
    }
  }

  public static final Option BOOTSTRAP_SERVERS =
      new Option("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null, false, false, "Kafka bootstrap servers");

  public static final Option DLQ_TOPIC =
      new Option("--dlq-topic", "DLQ_TOPIC", null, false, false, "dead-letter topic to read");

  public static final Option SNAPSHOT =
      new Option("--snapshot", "DLQ_SNAPSHOT", "", false, false,
          "end offsets to stop at, e.g. 0=120,1=88 (default: the current end offsets, printed)");

  public static final Option PARTITIONS =
      new Option("--partitions", "DLQ_PARTITIONS", "", false, true, "only these DLQ partitions, e.g. 0,2");

  public static final Option CORRELATION_IDS =
      new Option("--correlation-ids", "DLQ_CORRELATION_IDS", "", false, true,
          "only records with these correlation ids (comma-separated; for ids with commas use --correlation-id)");

  public static final Option CORRELATION_ID =
      new Option("--correlation-id", "DLQ_CORRELATION_IDS_JSON", "", false, Kind.REPEATED,
          "only records with this correlation id, taken whole; repeat it for more (variable: a JSON array)");

  public static final Option INCLUDE_ERROR_TYPES =
      new Option("--include-error-types", "DLQ_INCLUDE_ERROR_TYPES", "", false, true, "only these error types");

  public static final Option EXCLUDE_ERROR_TYPES =
      new Option("--exclude-error-types", "DLQ_EXCLUDE_ERROR_TYPES", "", false, true, "leave these error types");

  public static final Option FROM =
      new Option("--from", "DLQ_FROM", "", false, false, "only records with a DLQ timestamp at or after (RFC 3339)");

  public static final Option TO =
      new Option("--to", "DLQ_TO", "", false, false, "only records with a DLQ timestamp before (RFC 3339)");

  public static final Option LIMIT =
      new Option("--limit", "DLQ_LIMIT", "", false, false, "at most this many matching records, in DLQ order");

  public static final Option MAX_REPLAYS =
      new Option("--max-replays", "DLQ_MAX_REPLAYS", "3", false, false,
          "skip records whose x-replay-count reached this (loop guard)");

  public static final Option TARGET_TOPIC =
      new Option("--target-topic", "DLQ_TARGET_TOPIC", "", false, false,
          "send every record here (default: each record's original topic)");

  public static final Option ALLOWED_TARGETS =
      new Option("--allowed-targets", "DLQ_ALLOWED_TARGETS", "", false, true,
          "only these topics may receive records; others are skipped as targetNotAllowed (default: any)");

  public static final Option REPLAY_AGAIN =
      new Option("--replay-again", "DLQ_REPLAY_AGAIN", "false", false, false,
          "true: also replay records an earlier replay already sent (see --ledger-topic)");

  public static final Option LEDGER_TOPIC =
      new Option("--ledger-topic", "DLQ_LEDGER_TOPIC", "", false, false,
          "topic recording which DLQ records were replayed (default <dlq topic>.replayed)");

  public static final Option TERMINATION_LOG =
      new Option("--termination-log", "TERMINATION_LOG", "", false, false,
          "file for the JSON result (default /dev/termination-log if it exists and is writable)");

  public static final Option RESULT_GROUP =
      new Option("--result-group", "DLQ_RESULT_GROUP", "", false, false,
          "inspect only: commit the snapshot and per-partition counts for this consumer group (offset metadata) "
              + "and keep the termination message a summary");

  public static final Option REPLAY_NAME =
      new Option("--replay-name", "DLQ_REPLAY_NAME", null, true, false,
          "name of this replay: transactional.id reducer-dlq-replay.<name>, header x-replay-name");

  public static final Option GROUP =
      new Option("--group", "DLQ_GROUP", "", true, false,
          "consumer group holding the replay's position (default reducer-dlq-replay.<name>)");

  public static final Option RATE_PER_SECOND =
      new Option("--rate-per-second", "DLQ_RATE_PER_SECOND", "0", true, false,
          "most records republished per second; 0 = no limit");

  public static final Option BATCH_RECORDS =
      new Option("--batch-records", "DLQ_BATCH_RECORDS", "50000", true, false,
          "records per transaction (a transaction also ends after --batch-ms)");

  public static final Option BATCH_MS =
      new Option("--batch-ms", "DLQ_BATCH_MS", "1000", true, false, "longest a transaction stays open, in ms");

  public static final Option PROGRESS_FILE =
      new Option("--progress-file", "DLQ_PROGRESS_FILE", "", true, false,
          "file rewritten with the progress JSON while the replay runs");

  public static final Option PROGRESS_INTERVAL_MS =
      new Option("--progress-interval-ms", "DLQ_PROGRESS_INTERVAL_MS", "5000", true, false,
          "how often progress is printed and the progress file rewritten");

  /** Options of {@code dlq inspect} that {@code dlq replay} does not take. */
  static final Set<String> INSPECT_ONLY = Set.of(RESULT_GROUP.flag());

  /** Every option, in the order of the usage text. */
  static final List<Option> OPTIONS = List.of(BOOTSTRAP_SERVERS, DLQ_TOPIC, SNAPSHOT, PARTITIONS, CORRELATION_IDS,
      CORRELATION_ID, INCLUDE_ERROR_TYPES, EXCLUDE_ERROR_TYPES, FROM, TO, LIMIT, MAX_REPLAYS, TARGET_TOPIC,
      ALLOWED_TARGETS, REPLAY_AGAIN, LEDGER_TOPIC, TERMINATION_LOG, RESULT_GROUP, REPLAY_NAME, GROUP,
      RATE_PER_SECOND, BATCH_RECORDS, BATCH_MS, PROGRESS_FILE, PROGRESS_INTERVAL_MS);

  private DlqOptions() {
  }

  static String usage(String command) {
    boolean replay = command.equals("replay");
    StringBuilder text = new StringBuilder("usage: workloads dlq " + command + " [options]\n\n"
        + (replay ? "Republishes the selected records of a dead-letter topic exactly once.\n"
            : "Counts the records of a dead-letter topic a replay would select; changes nothing.\n")
        + "\noptions (flag, or environment variable):\n");
    for (Option option : OPTIONS) {
      if (!applies(option, command)) {
        continue;
      }
      text.append(String.format("  %-24s %-26s %s%s%n", option.flag(), option.variable(), option.description(),
          option.defaultValue() == null ? " (required)"
              : option.defaultValue().isEmpty() || option.defaultValue().equals("0") ? ""
              : " (default " + option.defaultValue() + ")"));
    }
    text.append('\n').append(KafkaClientSecurity.usage());
    text.append("\nexit codes: 0 done, 1 failed (").append(replay ? "a retry resumes" : "try again")
        .append("), 2 configuration error").append(replay ? ", 3 fenced by another process of the same replay" : "")
        .append('\n');
    return text.toString();
  }

  private static boolean applies(Option option, String command) {
    boolean replay = command.equals("replay");
    return replay ? !INSPECT_ONLY.contains(option.flag()) : !option.replayOnly();
  }

  /** Kafka security from the {@code KAFKA_*} variables (environment only, so no secret is in a process listing). */
  static KafkaClientSecurity kafkaSecurity(Map<String, String> env) throws ConfigException {
    return KafkaClientSecurity.fromEnv(env, e -> new ConfigException(e.getMessage(), e));
  }

  /**
   * The value of every option of this command: flag, else environment variable, else default; list options
   * split on commas. Throws with the fix on an unknown, valueless or missing required option.
   */
  public static Map<String, List<String>> parse(String command, List<String> args, Map<String, String> env)
      throws ConfigException {
    Map<String, List<String>> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      Option option = OPTIONS.stream().filter(o -> o.flag().equals(name)).findFirst().orElse(null);
      if (option == null || !applies(option, command)) {
        throw new ConfigException("unknown option for dlq " + command + ": " + name + " (see --help)");
      }
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new ConfigException("option " + name + " needs a value");
      }
      if (flags.containsKey(name) && option.kind() == Kind.SINGLE) {
        throw new ConfigException("option " + name + " is given twice");
      }
      flags.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    Map<String, List<String>> values = new HashMap<>();
    for (Option option : OPTIONS) {
      if (!applies(option, command)) {
        continue;
      }
      boolean fromFlags = flags.containsKey(option.flag());
      List<String> raw = fromFlags ? flags.get(option.flag())
          : env.get(option.variable()) != null && !env.get(option.variable()).isBlank()
              ? List.of(env.get(option.variable())) : List.of();
      List<String> parsed = new ArrayList<>();
      for (String value : raw) {
        if (option.kind() == Kind.REPEATED) {
          if (fromFlags) {
            parsed.add(value);
          } else {
            parsed.addAll(jsonStrings(option.variable(), value));
          }
        } else if (option.kind() == Kind.LIST) {
          for (String item : value.split(",")) {
            if (!item.isBlank()) {
              parsed.add(item.trim());
            }
          }
        } else if (!value.isBlank()) {
          parsed.add(value.trim());
        }
      }
      if (parsed.isEmpty()) {
        if (option.defaultValue() == null) {
          throw new ConfigException("missing " + option.flag() + ": pass " + option.flag() + " <value> or set "
              + option.variable());
        }
        if (!option.defaultValue().isEmpty()) {
          parsed.add(option.defaultValue());
        }
      }
      values.put(option.flag(), parsed);
    }
    return values;
  }

  /** A JSON array of strings, as a repeated option's variable holds it. */
  private static List<String> jsonStrings(String variable, String json) throws ConfigException {
    try {
      JsonNode node = DlqJson.MAPPER.readTree(json);
      if (node == null || !node.isArray()) {
        throw new ConfigException(variable + " must be a JSON array of strings, e.g. [\"a,b\",\"c\"]");
      }
      List<String> strings = new ArrayList<>();
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw new ConfigException(variable + " must be a JSON array of strings, found " + item.getNodeType());
        }
        if (!item.asText().isEmpty()) {
          strings.add(item.asText());
        }
      }
      return strings;
    } catch (JsonProcessingException e) {
      throw new ConfigException(variable + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
