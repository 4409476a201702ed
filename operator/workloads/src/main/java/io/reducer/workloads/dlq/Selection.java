package io.reducer.workloads.dlq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import io.reducer.workloads.dlq.format.DlqRecord;

/**
 * The filters of a {@link SelectionConfig} applied to decoded records, and what happens to a selected one. The
 * partition filter and the snapshot bound are applied by reading only those offsets; {@code limit} by the caller.
 */
final class Selection {

  /** What to do with a selected record. */
  enum Decision { REPLAY, UNROUTABLE, TARGET_NOT_ALLOWED, MAX_REPLAYS, ALREADY_REPLAYED }

  private final SelectionConfig config;

  Selection(SelectionConfig config) {
    this.config = config;
  }

  /** True when the record passes every filter; decodes only what a filter needs. */
  boolean matches(DlqRecord record) {
    if (!config.correlationIds().isEmpty()
        && (record.correlationId() == null || !config.correlationIds().contains(record.correlationId()))) {
      return false;
    }
    if (!config.includeErrorTypes().isEmpty()
        && (record.errorType() == null || !config.includeErrorTypes().contains(record.errorType()))) {
      return false;
    }
    if (!config.excludeErrorTypes().isEmpty() && record.errorType() != null
        && config.excludeErrorTypes().contains(record.errorType())) {
      return false;
    }
    if (config.from() != null && record.timestamp() < config.from().toEpochMilli()) {
      return false;
    }
    return config.to() == null || record.timestamp() < config.to().toEpochMilli();
  }

  /** Where a selected record goes: the target topic, or null when it is unroutable. */
  String target(DlqRecord record) {
    return config.targetTopic() != null ? config.targetTopic() : record.targetTopic();
  }

  /** What happens to a selected record, before the ledger is asked (see {@link #decide(DlqRecord, String)}). */
  Decision decide(DlqRecord record) {
    String target = target(record);
    if (target == null) {
      return Decision.UNROUTABLE;
    }
    // The original topic is what the failing producer wrote: never trusted beyond the allowed topics.
    if (config.allowedTargets() != null && !config.allowedTargets().contains(target)) {
      return Decision.TARGET_NOT_ALLOWED;
    }
    return record.replayCount() >= config.maxReplays() ? Decision.MAX_REPLAYS : Decision.REPLAY;
  }

  /**
   * What happens to a selected record that {@code replayedBy} (null = nobody) already replayed, per the ledger:
   * skipped unless --replay-again. Only a record that would otherwise be replayed counts as already replayed.
   */
  Decision decide(DlqRecord record, String replayedBy) {
    Decision decision = decide(record);
    return decision == Decision.REPLAY && replayedBy != null && !config.replayAgain()
        ? Decision.ALREADY_REPLAYED : decision;
  }

  /**
   * A short digest of everything that decides which records a replay selects and where they go, with the
   * snapshot it covers. A retry must select the same records, or its resumed position means nothing.
   */
  String fingerprint(Map<Integer, Long> snapshot) {
    String text = String.join("\n", config.dlqTopic(), SnapshotSpec.format(new TreeMap<>(snapshot)),
        String.join(",", config.correlationIds()), String.join(",", config.includeErrorTypes()),
        String.join(",", config.excludeErrorTypes()), String.valueOf(config.from()), String.valueOf(config.to()),
        String.valueOf(config.limit()), Integer.toString(config.maxReplays()), String.valueOf(config.targetTopic()))
        // Only when set, so the fingerprint of a replay started before these options existed stays the same.
        + (config.allowedTargets() == null ? "" : "\nallowed=" + String.join(",", config.allowedTargets()))
        + (config.replayAgain() ? "\nreplayAgain" : "");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
