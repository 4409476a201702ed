package io.reducer.workloads.dlq;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaClientSecurity;

/**
 * What both commands read and select: the DLQ, the snapshot to stop at and the filters. A record is selected when
 * it passes every filter; {@code limit} then keeps the first ones in DLQ order (partition by partition, ascending,
 * each in offset order), so inspect and replay select the same records.
 *
 * @param kafkaSecurity how the clients authenticate; from the environment only
 * @param snapshot end offset per partition to stop at; null = take the current end offsets
 * @param partitions only these partitions; null = all (of the snapshot or of the topic)
 * @param limit most matching records; null = no limit
 * @param targetTopic send every record here; null = each record's original topic
 * @param allowedTargets the only topics records may go to; null = any. A record's original topic is whatever its
 *     failing producer wrote, so the operator passes the pipeline's topics
 * @param replayAgain also replay records the ledger says an earlier replay already sent
 * @param ledgerTopic topic recording which DLQ records replays sent ({@link ReplayLedger})
 * @param terminationLog where the JSON result goes; null = nowhere
 */
record SelectionConfig(
    String bootstrapServers,
    KafkaClientSecurity kafkaSecurity,
    String dlqTopic,
    Map<Integer, Long> snapshot,
    Set<Integer> partitions,
    Set<String> correlationIds,
    Set<String> includeErrorTypes,
    Set<String> excludeErrorTypes,
    Instant from,
    Instant to,
    Long limit,
    int maxReplays,
    String targetTopic,
    Set<String> allowedTargets,
    boolean replayAgain,
    String ledgerTopic,
    Path terminationLog) {

  private static final Pattern TOPIC = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

  static SelectionConfig parse(Map<String, List<String>> values, KafkaClientSecurity kafkaSecurity)
      throws ConfigException {
    String dlqTopic = single(values, "--dlq-topic");
    checkTopic("--dlq-topic", dlqTopic);
    String target = single(values, "--target-topic");
    if (target != null) {
      checkTopic("--target-topic", target);
      if (target.equals(dlqTopic)) {
        throw new ConfigException("--target-topic must differ from --dlq-topic: replayed records would land in the "
            + "DLQ again");
      }
    }
    String snapshot = single(values, "--snapshot");
    Set<Integer> partitions = null;
    if (!values.get("--partitions").isEmpty()) {
      partitions = new TreeSet<>();
      for (String partition : values.get("--partitions")) {
        partitions.add((int) number("--partitions", partition, 0, Integer.MAX_VALUE));
      }
    }
    Set<String> include = new TreeSet<>(values.get("--include-error-types"));
    Set<String> exclude = new TreeSet<>(values.get("--exclude-error-types"));
    for (String type : include) {
      if (exclude.contains(type)) {
        throw new ConfigException("error type " + type + " is both included and excluded: drop it from one list");
      }
    }
    Instant from = instant("--from", single(values, "--from"));
    Instant to = instant("--to", single(values, "--to"));
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ConfigException("--from (" + from + ") must be before --to (" + to + ")");
    }
    Set<String> correlationIds = new TreeSet<>(values.get("--correlation-ids"));
    correlationIds.addAll(values.get("--correlation-id"));
    Set<String> allowed = null;
    if (!values.get("--allowed-targets").isEmpty()) {
      allowed = new TreeSet<>();
      for (String topic : values.get("--allowed-targets")) {
        checkTopic("--allowed-targets", topic);
        allowed.add(topic);
      }
    }
    String replayAgain = single(values, "--replay-again");
    if (!"true".equals(replayAgain) && !"false".equals(replayAgain)) {
      throw new ConfigException("--replay-again must be true or false, got '" + replayAgain + "'");
    }
    String ledger = single(values, "--ledger-topic");
    if (ledger == null) {
      ledger = dlqTopic + ReplayLedger.SUFFIX;
      if (ledger.length() > 249) {
        throw new ConfigException("the DLQ topic name is too long to derive the ledger topic '<dlq topic>"
            + ReplayLedger.SUFFIX + "' from it: pass --ledger-topic (DLQ_LEDGER_TOPIC)");
      }
    }
    checkTopic("--ledger-topic", ledger);
    if (ledger.equals(dlqTopic) || ledger.equals(target) || (allowed != null && allowed.contains(ledger))) {
      throw new ConfigException("--ledger-topic '" + ledger + "' must differ from the DLQ and the target topics");
    }
    String limit = single(values, "--limit");
    return new SelectionConfig(single(values, "--bootstrap-servers"), kafkaSecurity, dlqTopic,
        snapshot == null ? null : SnapshotSpec.parse(snapshot), partitions,
        correlationIds, include, exclude, from, to,
        limit == null ? null : number("--limit", limit, 1, Long.MAX_VALUE),
        (int) number("--max-replays", single(values, "--max-replays"), 1, 100), target, allowed,
        Boolean.parseBoolean(replayAgain), ledger, terminationLog(single(values, "--termination-log")));
  }

  /** The filters and target in words, for summaries. */
  String describeFilters() {
    StringBuilder text = new StringBuilder();
    if (partitions != null) {
      text.append(" partitions=").append(partitions);
    }
    if (!correlationIds.isEmpty()) {
      text.append(" correlationIds=").append(correlationIds.size());
    }
    if (!includeErrorTypes.isEmpty()) {
      text.append(" include=").append(includeErrorTypes);
    }
    if (!excludeErrorTypes.isEmpty()) {
      text.append(" exclude=").append(excludeErrorTypes);
    }
    if (from != null) {
      text.append(" from=").append(from);
    }
    if (to != null) {
      text.append(" to=").append(to);
    }
    if (limit != null) {
      text.append(" limit=").append(limit);
    }
    text.append(" maxReplays=").append(maxReplays);
    if (targetTopic != null) {
      text.append(" targetTopic=").append(targetTopic);
    }
    if (allowedTargets != null) {
      text.append(" allowedTargets=").append(allowedTargets);
    }
    if (replayAgain) {
      text.append(" replayAgain=true");
    }
    return text.toString().trim();
  }

  static String single(Map<String, List<String>> values, String flag) {
    List<String> list = values.get(flag);
    return list == null || list.isEmpty() ? null : list.get(0);
  }

  static void checkTopic(String flag, String value) throws ConfigException {
    if (!TOPIC.matcher(value).matches()) {
      throw new ConfigException("invalid " + flag + " '" + value
          + "': Kafka topic names use [a-zA-Z0-9._-], 1-249 characters");
    }
  }

  static long number(String flag, String text, long min, long max) throws ConfigException {
    try {
      long value = Long.parseLong(text.trim());
      if (value < min || value > max) {
        throw new ConfigException(flag + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(flag + " must be a whole number, got '" + text + "'");
    }
  }

  private static Instant instant(String flag, String text) throws ConfigException {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException(flag + " must be an RFC 3339 time such as 2025-10-21T12:00:00Z, got '" + text + "'");
    }
  }

  /** The flag's path, else Kubernetes' file when it exists and is writable, else none. */
  static Path terminationLog(String flag) {
    return TerminationMessage.path(flag);
  }
}
