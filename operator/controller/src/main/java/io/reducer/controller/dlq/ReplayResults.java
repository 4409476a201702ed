package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.dlq.DlqPreview;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.api.v1alpha1.dlq.RecordSample;
import io.reducer.api.v1alpha1.dlq.ReplayProgress;
import io.reducer.api.v1alpha1.dlq.ReplayedRange;
import io.reducer.workloads.dlq.DlqInspectResult;
import io.reducer.workloads.dlq.DlqReplayResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the results the dlq Jobs leave in their termination message, with the workloads' own parsers, and turns
 * them into status fields.
 */
public final class ReplayResults {

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
