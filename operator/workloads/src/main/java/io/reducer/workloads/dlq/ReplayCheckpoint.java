package io.reducer.workloads.dlq;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What a replay commits as the metadata of every DLQ offset it commits, in the same transaction as the records:
 * which selection the offsets belong to, the partition's snapshot end, and the counters so far. A retried process
 * thereby resumes with the same snapshot and exact counters, and refuses to continue a different selection.
 *
 * @param fingerprint {@link Selection#fingerprint} of the replay that committed it
 * @param end snapshot end offset of this partition
 */
record ReplayCheckpoint(int v, String fingerprint, long end, long matched, long replayed,
    Map<String, Long> skipped) {

  static final int VERSION = 1;

  static ReplayCheckpoint of(String fingerprint, long end, ReplayCounters counters) {
    return new ReplayCheckpoint(VERSION, fingerprint, end, counters.matched, counters.replayed,
        new TreeMap<>(counters.skipped));
  }

  /** The checkpoint in committed offset metadata, or null when there is none or it is not ours. */
  static ReplayCheckpoint decode(String metadata) {
    if (metadata == null || metadata.isBlank()) {
      return null;
    }
    try {
      ReplayCheckpoint checkpoint = DlqJson.MAPPER.readValue(metadata, ReplayCheckpoint.class);
      return checkpoint.v() == VERSION && checkpoint.fingerprint() != null ? checkpoint : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  String encode() {
    try {
      return DlqJson.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  ReplayCounters counters() {
    ReplayCounters counters = new ReplayCounters();
    counters.matched = matched;
    counters.replayed = replayed;
    if (skipped != null) {
      counters.skipped.putAll(skipped);
    }
    return counters;
  }
}
