package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.dlq.DlqPreview;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.api.v1alpha1.dlq.RecordSample;
import io.reducer.api.v1alpha1.dlq.ReplayProgress;
import io.reducer.api.v1alpha1.dlq.ReplayedRange;
import io.reducer.controller.kafka.CommittedOffset;
import io.reducer.workloads.dlq.DlqInspectResult;
import io.reducer.workloads.dlq.DlqReplayResult;
import io.reducer.workloads.dlq.InspectPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the results the dlq Jobs leave in their termination message, with the workloads' own parsers, and turns
 * them into status fields. The preview Job's message is a summary; its snapshot and per-partition counts are in the
 * committed offsets of its result group ({@link #partitions}), so a DLQ of any number of partitions is complete.
 */
public final class ReplayResults {

  /** Snapshots of up to this many partitions are spelled out in messages. */
  static final int SNAPSHOT_TEXT_PARTITIONS = 12;

  private ReplayResults() {
  }

  /** The inspect result, or null when the text is not one (a crash left the log's tail instead). */
  public static DlqInspectResult inspect(String terminationMessage) {
    return parsed(terminationMessage, DlqInspectResult::parse);
  }

  /** The replay result, or null when the text is not one. */
  public static DlqReplayResult replay(String terminationMessage) {
    return parsed(terminationMessage, DlqReplayResult::parse);
  }

  /** What a Job said about its failure: the result's message, else the raw text (a log tail), else nothing. */
  public static String failureText(String terminationMessage, String resultMessage) {
    if (resultMessage != null && !resultMessage.isBlank()) {
      return resultMessage;
    }
    return terminationMessage == null || terminationMessage.isBlank() ? "no message" : terminationMessage.strip();
  }

  /**
   * The per-partition part of a preview, as the inspect Job committed it for its result group: the snapshot, every
   * partition, and the matching records per partition (those with any, as the histogram has them).
   */
  public record PartitionFigures(List<PartitionRange> snapshot, Map<String, Long> byPartition) {
  }

  /**
   * Reads the snapshot and per-partition counts of a summary from its result group's committed offsets, and checks
   * that they are complete: every partition of the snapshot, all of the summary's run, adding up to its matched
   * count. Throws IllegalArgumentException saying what is missing otherwise.
   */
  public static PartitionFigures partitions(DlqInspectResult summary, Map<Integer, CommittedOffset> committed) {
    DlqInspectResult.ResultGroup where = summary.resultGroup();
    List<PartitionRange> snapshot = new ArrayList<>();
    Map<String, Long> byPartition = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
    long matched = 0;
    int other = 0;
    for (Map.Entry<Integer, CommittedOffset> entry : new TreeMap<>(committed).entrySet()) {
      InspectPartition figures = InspectPartition.fromMetadata(entry.getValue().metadata());
      if (figures == null || !figures.run().equals(where.run())) {
        other++;
        continue;
      }
      snapshot.add(new PartitionRange(entry.getKey(), figures.startOffset(), entry.getValue().offset()));
      if (figures.matched() > 0) {
        byPartition.put(String.valueOf(entry.getKey()), figures.matched());
      }
      matched += figures.matched();
    }
    int expected = summary.partitions() == null ? -1 : summary.partitions();
    long expectedMatched = summary.preview() == null ? -1 : summary.preview().matched();
    if (snapshot.size() != expected || matched != expectedMatched) {
      throw new IllegalArgumentException("consumer group " + where.group() + " has the figures of run " + where.run()
          + " for " + snapshot.size() + " of " + expected + " DLQ partitions of " + where.topic() + ", with " + matched
          + " of " + expectedMatched + " matching records" + (other > 0 ? " (" + other + " partition(s) hold other "
              + "figures)" : "") + ": the preview is incomplete (the group expires offsets.retention.minutes after the "
          + "Job); create the DlqReplay again for a new preview");
    }
    return new PartitionFigures(snapshot, byPartition);
  }

  public static List<PartitionRange> snapshot(List<DlqInspectResult.Range> ranges) {
    return ranges.stream().map(r -> new PartitionRange(r.partition(), r.startOffset(), r.endOffset()))
        .collect(Collectors.toList());
  }

  public static DlqPreview preview(DlqInspectResult.Preview from) {
    DlqPreview preview = new DlqPreview();
    preview.setMatched(from.matched());
    preview.setByErrorType(sorted(from.byErrorType()));
    preview.setByOriginalTopic(sorted(from.byOriginalTopic()));
    preview.setByPartition(sorted(from.byPartition()));
    preview.setUnroutable(from.unroutable());
    preview.setOldestRecordTime(from.oldestRecordTime());
    preview.setNewestRecordTime(from.newestRecordTime());
    if (from.samples() != null) {
      preview.setSamples(from.samples().stream().map(ReplayResults::sample).collect(Collectors.toList()));
    }
    preview.setTargetNotAllowed(from.targetNotAllowed());
    preview.setAlreadyReplayed(from.alreadyReplayed());
    if (from.alreadyReplayedRanges() != null && !from.alreadyReplayedRanges().isEmpty()) {
      preview.setAlreadyReplayedRanges(from.alreadyReplayedRanges().stream()
          .map(r -> new ReplayedRange(r.partition(), r.startOffset(), r.endOffset(), r.replayName()))
          .collect(Collectors.toList()));
    }
    return preview;
  }

  public static ReplayProgress progress(DlqReplayResult.Progress from) {
    ReplayProgress progress = new ReplayProgress();
    progress.setMatched(from.matched());
    progress.setReplayed(from.replayed());
    progress.setSkipped(from.skipped());
    progress.setSkippedByReason(sorted(from.skippedByReason()));
    progress.setFailed(from.failed());
    return progress;
  }

  /** Progress before anything was replayed: the records the preview selected, nothing done yet. */
  public static ReplayProgress selected(long matched) {
    ReplayProgress progress = new ReplayProgress();
    progress.setMatched(matched);
    return progress;
  }

  /** The snapshot in the replay command's form, {@code 0=120,1=88}. */
  public static String snapshotText(List<PartitionRange> snapshot) {
    return snapshot.stream().map(r -> r.getPartition() + "=" + r.getEndOffset()).collect(Collectors.joining(","));
  }

  /**
   * The snapshot for messages and Events: its command form for a few partitions, else how many partitions and
   * records it has and where the whole of it is ({@code "200 partitions, 400 records (status.snapshot)"}), so a
   * message about a large DLQ stays short enough to keep its end (the approval command).
   */
  public static String snapshotSummary(List<PartitionRange> snapshot) {
    if (snapshot.size() <= SNAPSHOT_TEXT_PARTITIONS) {
      return snapshotText(snapshot);
    }
    long records = snapshot.stream().mapToLong(r -> Math.max(0, r.getEndOffset() - r.getStartOffset())).sum();
    return snapshot.size() + " partitions, " + records + " records (status.snapshot)";
  }

  /** The workloads' parsers throw IllegalArgumentException on text that is not their result. */
  private static <T> T parsed(String terminationMessage, Function<String, T> parser) {
    if (terminationMessage == null) {
      return null;
    }
    try {
      return parser.apply(terminationMessage);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static RecordSample sample(DlqInspectResult.Sample from) {
    RecordSample sample = new RecordSample();
    sample.setPartition(from.partition());
    sample.setOffset(from.offset());
    sample.setKey(from.key());
    sample.setCorrelationId(from.correlationId());
    sample.setErrorType(from.errorType());
    sample.setTargetTopic(from.targetTopic());
    return sample;
  }

  private static Map<String, Long> sorted(Map<String, Long> counts) {
    return counts == null ? new TreeMap<>() : new TreeMap<>(counts);
  }
}
