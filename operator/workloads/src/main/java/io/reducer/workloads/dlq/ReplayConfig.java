package io.reducer.workloads.dlq;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaClientSecurity;

/**
 * Settings of {@code dlq replay} on top of the selection.
 *
 * @param ratePerSecond most records sent per second; 0 = no limit
 * @param batchRecords records per transaction
 * @param batchMs longest a transaction stays open
 * @param progressFile rewritten with the progress JSON while running; null = none
 */
record ReplayConfig(
    SelectionConfig selection,
    String replayName,
    String group,
    int ratePerSecond,
    int batchRecords,
    int batchMs,
    Path progressFile,
    int progressIntervalMs) {

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._/-]{1," + ReplayNames.MAX_NAME_LENGTH + "}$");

  static ReplayConfig parse(Map<String, List<String>> values, KafkaClientSecurity kafkaSecurity)
      throws ConfigException {
    SelectionConfig selection = SelectionConfig.parse(values, kafkaSecurity);
    String name = SelectionConfig.single(values, "--replay-name");
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException("invalid --replay-name '" + name + "': use 1-" + ReplayNames.MAX_NAME_LENGTH
          + " characters of letters, digits and . _ / -, e.g. <namespace>.<DlqReplay name>");
    }
    String group = SelectionConfig.single(values, "--group");
    String progressFile = SelectionConfig.single(values, "--progress-file");
    return new ReplayConfig(selection, name, group == null ? ReplayNames.prefixed(name) : group,
        (int) SelectionConfig.number("--rate-per-second", SelectionConfig.single(values, "--rate-per-second"), 0,
            100_000_000),
        (int) SelectionConfig.number("--batch-records", SelectionConfig.single(values, "--batch-records"), 1,
            10_000_000),
        // Below Kafka's default transaction.timeout.ms (60 s), with room for the commit.
        (int) SelectionConfig.number("--batch-ms", SelectionConfig.single(values, "--batch-ms"), 10, 30_000),
        progressFile == null ? null : Path.of(progressFile),
        (int) SelectionConfig.number("--progress-interval-ms",
            SelectionConfig.single(values, "--progress-interval-ms"), 100, 3_600_000));
  }

  /** One producer identity per replay: a second process with the same name fences the first. */
  String transactionalId() {
    return ReplayNames.prefixed(replayName);
  }
}
