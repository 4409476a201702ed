package io.reducer.workloads.dlq;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.dlq.format.DlqFormats;
import io.reducer.workloads.dlq.format.DlqRecord;
import io.reducer.workloads.kafka.AssignedConsumers;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * {@code workloads dlq inspect}: reads the snapshot, counts what a replay with the same flags would select, prints
 * a summary and writes {@link DlqInspectResult} to the termination log. Reads only; with {@code --result-group} it
 * commits the per-partition figures for that group (never for a replay's), which changes nothing a replay reads.
 */
final class InspectCommand {

  private InspectCommand() {
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    SelectionConfig config;
    String resultGroup;
    try {
      Map<String, List<String>> values = DlqOptions.parse("inspect", args, env);
      config = SelectionConfig.parse(values, DlqOptions.kafkaSecurity(env));
      resultGroup = values.get("--result-group").isEmpty() ? null : values.get("--result-group").get(0);
    } catch (ConfigException e) {
      err.println("dlq inspect: configuration error: " + e.getMessage());
      DlqCommand.writeQuietly(DlqCommand.terminationLogFromEnv(args, env),
          TerminationMessage.fit(DlqInspectResult.failed("configuration error: " + e.getMessage())), err);
      return ExitCodes.BAD_CONFIGURATION;
    }
    int code;
    DlqInspectResult result;
    try {
      result = inspect(config, resultGroup, out);
      code = ExitCodes.OK;
    } catch (ConfigException e) {
      err.println("dlq inspect: configuration error: " + e.getMessage());
      result = DlqInspectResult.failed("configuration error: " + e.getMessage());
      code = ExitCodes.BAD_CONFIGURATION;
    } catch (RuntimeException e) {
      err.println("dlq inspect: failed: " + KafkaFailures.rootMessage(e));
      result = DlqInspectResult.failed("failed: " + KafkaFailures.rootMessage(e));
      code = ExitCodes.FAILURE;
    }
    DlqCommand.writeQuietly(config.terminationLog(), TerminationMessage.fit(result.resultGroup() == null ? result
        : result.summary(result.resultGroup())), err);
    return code;
  }

  static DlqInspectResult inspect(SelectionConfig config, PrintStream out) throws ConfigException {
    return inspect(config, null, out);
  }

  /**
   * @param resultGroup when not null, the snapshot and the per-partition counts are also committed for this consumer
   *     group ({@link InspectPartition}), and the result names it
   */
  static DlqInspectResult inspect(SelectionConfig config, String resultGroup, PrintStream out)
      throws ConfigException {
    try (Admin admin = DlqClients.admin(config)) {
      KafkaConsumer<byte[], byte[]> consumer = DlqClients.consumer(config, null, "reducer-dlq-inspect");
      try {
        return inspect(config, resultGroup, out, admin, consumer);
      } finally {
        AssignedConsumers.close(consumer);
      }
    }
  }

  private static DlqInspectResult inspect(SelectionConfig config, String resultGroup, PrintStream out, Admin admin,
      KafkaConsumer<byte[], byte[]> consumer) throws ConfigException {
    int partitions = DlqTopic.partitions(admin, config);
    if (config.targetTopic() != null && DlqTopic.describe(admin, config.targetTopic()) == null) {
      throw new ConfigException("target topic '" + config.targetTopic() + "' does not exist: create it or fix "
          + "--target-topic (DLQ_TARGET_TOPIC)");
    }
    List<DlqInspectResult.Range> snapshot = DlqTopic.snapshot(consumer, config, config.snapshot(), partitions);
    String snapshotText = SnapshotSpec.format(DlqTopic.ends(snapshot));
    out.println("dlq inspect: topic " + config.dlqTopic() + ", snapshot " + snapshotText
        + (config.snapshot() == null ? " (current end offsets; pass --snapshot " + snapshotText
            + " to replay exactly this range)" : ""));
    out.println("filters: " + config.describeFilters());

    ReplayLedger ledger = ReplayLedger.read(admin, config, false);
    Selection selection = new Selection(config);
    PreviewBuilder preview = new PreviewBuilder();
    SnapshotReader reader = new SnapshotReader(consumer, config.dlqTopic(), snapshot, config.limit() != null);
    long read = 0;
    reading:
    while (!reader.done()) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll()) {
        read++;
        DlqRecord decoded = DlqFormats.read(record);
        if (!selection.matches(decoded)) {
          continue;
        }
        if (config.limit() != null && preview.matched() >= config.limit()) {
          break reading;
        }
        String replayedBy = ledger.replayedBy(record.partition(), record.offset());
        preview.add(decoded, selection.target(decoded), selection.decide(decoded, replayedBy), replayedBy);
      }
    }
    DlqInspectResult.Preview built = preview.build();
    String message = built.matched() + " of " + read + " records read match"
        + (config.limit() != null && built.matched() >= config.limit() ? " (limit " + config.limit() + " reached)" : "")
        + "; a replay would skip " + built.unroutable() + " as unroutable"
        + (config.allowedTargets() == null ? "" : ", " + preview.targetNotAllowed() + " as going to a topic not in "
            + "--allowed-targets")
        + " and " + preview.atMaxReplays() + " as having reached --max-replays " + config.maxReplays()
        + alreadyReplayedText(config, preview) + "; formats " + preview.byFormat();
    DlqInspectResult result = new DlqInspectResult(snapshot, built, message);
    printSummary(result, out);
    if (resultGroup != null) {
      result = new DlqInspectResult(snapshot, built, message, snapshot.size(),
          commitPartitions(admin, config.dlqTopic(), resultGroup, snapshot, built));
      out.println("per-partition result: committed offsets of consumer group " + resultGroup + " on "
          + config.dlqTopic() + " (run " + result.resultGroup().run() + ")");
    }
    return result;
  }

  /**
   * Commits every snapshot partition's end offset for {@code group}, with its start and matching count as metadata,
   * in one request. The group never has members, so the commit needs no generation; it needs Read on the group.
   */
  private static DlqInspectResult.ResultGroup commitPartitions(Admin admin, String topic, String group,
      List<DlqInspectResult.Range> snapshot, DlqInspectResult.Preview preview) {
    String run = UUID.randomUUID().toString();
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (DlqInspectResult.Range range : snapshot) {
      long matched = preview.byPartition().getOrDefault(String.valueOf(range.partition()), 0L);
      offsets.put(new TopicPartition(topic, range.partition()), new OffsetAndMetadata(range.endOffset(),
          new InspectPartition(run, range.startOffset(), matched).toMetadata()));
    }
    try {
      admin.alterConsumerGroupOffsets(group, offsets).all().get(DlqClients.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while committing the result to consumer group " + group, e);
    } catch (ExecutionException | TimeoutException e) {
      // Without the cause: the command reports a failure's root message, and this one names the group.
      throw new IllegalStateException("cannot commit the per-partition result to consumer group " + group + ": "
          + KafkaFailures.rootMessage(e));
    }
    return new DlqInspectResult.ResultGroup(group, topic, run);
  }

  private static String alreadyReplayedText(SelectionConfig config, PreviewBuilder preview) {
    if (preview.alreadyReplayed() == 0) {
      return "";
    }
    return "; " + preview.alreadyReplayed() + " were already replayed by an earlier replay (ledger "
        + config.ledgerTopic() + ", " + preview.rangeCount() + (preview.rangeCount() == 1 ? " range" : " ranges")
        + ") and " + (config.replayAgain() ? "would be replayed again (--replay-again)"
            : "would be skipped (pass --replay-again to send them again)");
  }

  private static void printSummary(DlqInspectResult result, PrintStream out) {
    DlqInspectResult.Preview preview = result.preview();
    out.println(result.message());
    if (preview.oldestRecordTime() != null) {
      out.println("record times: " + preview.oldestRecordTime() + " .. " + preview.newestRecordTime());
    }
    printCounts("by error type", preview.byErrorType(), out);
    printCounts("by target topic", preview.byOriginalTopic(), out);
    printCounts("by DLQ partition", preview.byPartition(), out);
    if (preview.alreadyReplayedRanges() != null) {
      out.println("already replayed:");
      for (DlqInspectResult.ReplayedRange range : preview.alreadyReplayedRanges()) {
        out.println("  " + range.partition() + "@" + range.startOffset() + ".." + (range.endOffset() - 1) + " by "
            + range.replayName());
      }
    }
    if (!preview.samples().isEmpty()) {
      out.println("samples:");
      for (DlqInspectResult.Sample sample : preview.samples()) {
        out.println("  " + sample.partition() + "@" + sample.offset() + " key=" + sample.key() + " correlationId="
            + sample.correlationId() + " errorType=" + sample.errorType() + " -> "
            + (sample.targetTopic() == null ? "(unroutable)" : sample.targetTopic()));
      }
    }
    out.flush();
  }

  private static void printCounts(String title, Map<String, Long> counts, PrintStream out) {
    if (counts.isEmpty()) {
      return;
    }
    out.println(title + ":");
    counts.forEach((key, count) -> out.printf("  %-60s %,d%n", key, count));
  }
}
