package io.reducer.workloads.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.reducer.workloads.dlq.format.DlqRecord;

/** Counts the selected records of an inspect run into the preview histograms, with the first few as samples. */
final class PreviewBuilder {

  static final int SAMPLES = 5;
  /** Already-replayed ranges kept for the result (the termination message may cut them further). */
  static final int RANGES = 20;
  /** Error type key of records whose DLQ writer recorded none; not a valid error type filter value. */
  static final String NO_ERROR_TYPE = "(none)";
  private static final int KEY_CHARS = 64;

  private long matched;
  private long unroutable;
  private long atMaxReplays;
  private long targetNotAllowed;
  private long alreadyReplayed;
  private final List<DlqInspectResult.ReplayedRange> ranges = new ArrayList<>();
  private long rangeCount;
  /** Per partition, the run of already-replayed records still open (the last matching record was one). */
  private final Map<Integer, DlqInspectResult.ReplayedRange> openRuns = new TreeMap<>();
  private final Map<String, Long> byErrorType = new TreeMap<>();
  private final Map<String, Long> byTargetTopic = new TreeMap<>();
  private final Map<Integer, Long> byPartition = new TreeMap<>();
  private final Map<String, Long> byFormat = new TreeMap<>();
  private long oldest = Long.MAX_VALUE;
  private long newest = Long.MIN_VALUE;
  private final List<DlqInspectResult.Sample> samples = new ArrayList<>();

  /** Counts one selected record going to {@code target} (null = unroutable) with what a replay would do. */
  void add(DlqRecord record, String target, Selection.Decision decision) {
    add(record, target, decision, null);
  }

  /**
   * Also counts the record as already replayed by {@code replayedBy} when the ledger says so and a replay would
   * otherwise republish it (so even with --replay-again the overlap is shown).
   */
  void add(DlqRecord record, String target, Selection.Decision decision, String replayedBy) {
    matched++;
    if (decision == Selection.Decision.TARGET_NOT_ALLOWED) {
      targetNotAllowed++;
    }
    boolean again = replayedBy != null
        && (decision == Selection.Decision.ALREADY_REPLAYED || decision == Selection.Decision.REPLAY);
    DlqInspectResult.ReplayedRange open = openRuns.remove(record.partition());
    if (again) {
      alreadyReplayed++;
      if (open != null && open.replayName().equals(replayedBy)) {
        open = new DlqInspectResult.ReplayedRange(open.partition(), open.startOffset(), record.offset() + 1,
            replayedBy);
      } else {
        closeRun(open);
        open = new DlqInspectResult.ReplayedRange(record.partition(), record.offset(), record.offset() + 1,
            replayedBy);
      }
      openRuns.put(record.partition(), open);
    } else {
      closeRun(open);
    }
    byErrorType.merge(record.errorType() == null ? NO_ERROR_TYPE : record.errorType(), 1L, Long::sum);
    byPartition.merge(record.partition(), 1L, Long::sum);
    byFormat.merge(record.format(), 1L, Long::sum);
    if (target == null) {
      unroutable++;
    } else {
      byTargetTopic.merge(target, 1L, Long::sum);
    }
    if (decision == Selection.Decision.MAX_REPLAYS) {
      atMaxReplays++;
    }
    if (record.timestamp() >= 0) {
      oldest = Math.min(oldest, record.timestamp());
      newest = Math.max(newest, record.timestamp());
    }
    if (samples.size() < SAMPLES) {
      samples.add(new DlqInspectResult.Sample(record.partition(), record.offset(), keyText(record.key()),
          record.correlationId(), record.errorType(), target));
    }
  }

  long matched() {
    return matched;
  }

  long atMaxReplays() {
    return atMaxReplays;
  }

  long targetNotAllowed() {
    return targetNotAllowed;
  }

  long alreadyReplayed() {
    return alreadyReplayed;
  }

  /** Runs of already-replayed records found, of which the result keeps the first {@value #RANGES}. */
  long rangeCount() {
    return rangeCount + openRuns.size();
  }

  private void closeRun(DlqInspectResult.ReplayedRange run) {
    if (run != null) {
      rangeCount++;
      if (ranges.size() < RANGES) {
        ranges.add(run);
      }
    }
  }

  Map<String, Long> byFormat() {
    return byFormat;
  }

  DlqInspectResult.Preview build() {
    List<DlqInspectResult.ReplayedRange> runs = new ArrayList<>(ranges);
    openRuns.values().stream().limit(Math.max(0, RANGES - runs.size())).forEach(runs::add);
    runs.sort(java.util.Comparator.comparingInt(DlqInspectResult.ReplayedRange::partition)
        .thenComparingLong(DlqInspectResult.ReplayedRange::startOffset));
    Map<String, Long> partitions = new LinkedHashMap<>();
    byPartition.forEach((partition, count) -> partitions.put(Integer.toString(partition), count));
    return new DlqInspectResult.Preview(matched, new TreeMap<>(byErrorType), new TreeMap<>(byTargetTopic), partitions,
        unroutable, matched == 0 || oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest).toString(),
        matched == 0 || newest == Long.MIN_VALUE ? null : Instant.ofEpochMilli(newest).toString(),
        List.copyOf(samples), targetNotAllowed, alreadyReplayed, runs.isEmpty() ? null : List.copyOf(runs));
  }

  /** The key as text when it is UTF-8, else as hex; shortened for display. */
  static String keyText(byte[] key) {
    if (key == null) {
      return null;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
    } catch (CharacterCodingException e) {
      text = "0x" + HexFormat.of().formatHex(key);
    }
    return TerminationMessage.shorten(text, KEY_CHARS);
  }
}
