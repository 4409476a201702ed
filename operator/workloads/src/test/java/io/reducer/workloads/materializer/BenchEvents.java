package io.reducer.workloads.materializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.common.utils.Utils;

/**
 * The benchmark's state-committed stream, generated deterministically so the raw-upsert phase can rebuild exactly
 * the rows the materializer read from Kafka without keeping a million of them in memory. Event {@code i} is key
 * {@code i % keys} at version {@code i / keys + 1}: every key's versions go up, as a reducer publishes them.
 */
final class BenchEvents {

  private static final String[] STATES = {"PENDING", "RUNNING", "AWAITING_APPROVAL", "COMPLETED", "FAILED"};
  private static final String[] ACTIONS = {"submit_order", "reserve_stock", "approve_invoice", "charge_card",
      "ship_parcel", "retry_step"};
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private final int keys;
  private final int partitions;

  BenchEvents(int keys, int partitions) {
    this.keys = keys;
    this.partitions = partitions;
  }

  String key(long i) {
    return "wf-" + String.format("%07d", i % keys);
  }

  long version(long i) {
    return i / keys + 1;
  }

  /** The partition Kafka's default partitioner picks for this key (murmur2 of the serialized key). */
  int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** Event {@code i} as the decoded row the materializer upserts. */
  StateCommitted row(long i, Instant committedAt) {
    String key = key(i);
    long version = version(i);
    return new StateCommitted(i, key, version, STATES[(int) (version % STATES.length)], "tenant-" + (i % keys % 8),
        "release-2026.11", ACTIONS[(int) (version % ACTIONS.length)], correlation(i), committedAt);
  }

  /** A prefilled event's committed_at: one millisecond apart, in the past. */
  Instant prefillTime(long i) {
    return BASE.plusMillis(i);
  }

  /** The JSON value of a row, with the fields of DESIGN.md section 4 (about 260 bytes). */
  static String json(StateCommitted row) {
    return "{\"workflow_key\":\"" + row.workflowKey() + "\",\"version\":" + row.version()
        + ",\"state\":\"" + row.state() + "\",\"namespace\":\"" + row.namespace() + "\",\"tag\":\"" + row.tag()
        + "\",\"last_action\":\"" + row.lastAction() + "\",\"correlation_id\":\"" + row.correlationId()
        + "\",\"committed_at\":\"" + row.committedAt() + "\"}";
  }

  private static String correlation(long i) {
    return new UUID(i * 0x9E3779B97F4A7C15L, ~i * 0xC2B2AE3D27D4EB4FL).toString();
  }
}
