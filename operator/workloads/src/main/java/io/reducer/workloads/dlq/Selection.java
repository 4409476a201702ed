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
  enum Decision { REPLAY, UNROUTABLE, MAX_REPLAYS }

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

  Decision decide(DlqRecord record) {
    if (target(record) == null) {
      return Decision.UNROUTABLE;
    }
    return record.replayCount() >= config.maxReplays() ? Decision.MAX_REPLAYS : Decision.REPLAY;
  }

  /**
   * A short digest of everything that decides which records a replay selects and where they go, with the
   * snapshot it covers. A retry must select the same records, or its resumed position means nothing.
   */
  String fingerprint(Map<Integer, Long> snapshot) {
    String text = String.join("\n", config.dlqTopic(), SnapshotSpec.format(new TreeMap<>(snapshot)),
        String.join(",", config.correlationIds()), String.join(",", config.includeErrorTypes()),
        String.join(",", config.excludeErrorTypes()), String.valueOf(config.from()), String.valueOf(config.to()),
        String.valueOf(config.limit()), Integer.toString(config.maxReplays()), String.valueOf(config.targetTopic()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
