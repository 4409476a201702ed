package io.reducer.workloads.dlq;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What {@code workloads dlq inspect} writes to the termination log, in the shape of the DlqReplay status fields
 * {@code snapshot} (io.reducer.api.v1alpha1.dlq.PartitionRange) and {@code preview}
 * (io.reducer.api.v1alpha1.dlq.DlqPreview, RecordSample), plus a message:
 *
 * <pre>
 * {"snapshot":[{"partition":0,"startOffset":0,"endOffset":120}],
 *  "preview":{"matched":3,"byErrorType":{"E":3},"byOriginalTopic":{"t":3},"byPartition":{"0":3},"unroutable":0,
 *             "oldestRecordTime":"2025-01-01T00:00:00Z","newestRecordTime":"...",
 *             "samples":[{"partition":0,"offset":7,"key":"wf-1","correlationId":"c","errorType":"E","targetTopic":"t"}]},
 *  "message":"..."}
 * </pre>
 *
 * On a failure before the preview, {@code snapshot} and {@code preview} are absent and {@code message} says why.
 * The histograms may hold only the largest entries to stay under Kubernetes' 4096-byte termination message; the
 * message then says so (see {@link TerminationMessage}).
 *
 * <p>With {@code --result-group} (the operator's inspect Jobs) the termination message is a summary: no
 * {@code snapshot} and no {@code byPartition}, but {@code partitions} (how many the snapshot has) and
 * {@code resultGroup}, the consumer group whose committed offsets carry them, one {@link InspectPartition} per
 * snapshot partition. So a DLQ of any number of partitions has its whole result somewhere.
 *
 * @param partitions number of snapshot partitions; null on a failure
 * @param resultGroup where the per-partition figures were committed; null when they were not (no
 *     {@code --result-group}), then {@code snapshot} and {@code byPartition} are in the result itself
 */
public record DlqInspectResult(List<Range> snapshot, Preview preview, String message, Integer partitions,
    ResultGroup resultGroup) {

  public DlqInspectResult(List<Range> snapshot, Preview preview, String message) {
    this(snapshot, preview, message, snapshot == null ? null : snapshot.size(), null);
  }

  /**
   * Where the per-partition figures are: the committed offsets of {@code group} on {@code topic} (the DLQ), each
   * with an {@link InspectPartition} of run {@code run} as metadata.
   */
  public record ResultGroup(String group, String topic, String run) {
  }

  /** The same result as a summary whose per-partition figures are in {@code where}. */
  public DlqInspectResult summary(ResultGroup where) {
    Preview cut = preview == null ? null : new Preview(preview.matched(), preview.byErrorType(),
        preview.byOriginalTopic(), null, preview.unroutable(), preview.oldestRecordTime(),
        preview.newestRecordTime(), preview.samples(), preview.targetNotAllowed(), preview.alreadyReplayed(),
        preview.alreadyReplayedRanges());
    return new DlqInspectResult(null, cut, message, partitions, where);
  }

  /** This result with another message and preview, the rest kept. */
  DlqInspectResult with(Preview newPreview, String newMessage) {
    return new DlqInspectResult(snapshot, newPreview, newMessage, partitions, resultGroup);
  }

  /** [startOffset, endOffset) of one DLQ partition. */
  public record Range(int partition, long startOffset, long endOffset) {
  }

  /**
   * Counts of the matching records. Map keys of {@code byPartition} are partition numbers.
   *
   * @param targetNotAllowed matching records whose target is not an allowed topic; a replay skips them
   * @param alreadyReplayed matching records an earlier replay already sent (the ledger says so) and that would be
   *     republished otherwise; a replay skips them unless --replay-again
   * @param alreadyReplayedRanges where those are: runs of them per DLQ partition, each sent by one replay; the
   *     first few only
   */
  public record Preview(long matched, Map<String, Long> byErrorType, Map<String, Long> byOriginalTopic,
      Map<String, Long> byPartition, long unroutable, String oldestRecordTime, String newestRecordTime,
      List<Sample> samples, long targetNotAllowed, long alreadyReplayed, List<ReplayedRange> alreadyReplayedRanges) {

    public Preview(long matched, Map<String, Long> byErrorType, Map<String, Long> byOriginalTopic,
        Map<String, Long> byPartition, long unroutable, String oldestRecordTime, String newestRecordTime,
        List<Sample> samples) {
      this(matched, byErrorType, byOriginalTopic, byPartition, unroutable, oldestRecordTime, newestRecordTime,
          samples, 0, 0, null);
    }
  }

  /**
   * DLQ offsets [startOffset, endOffset) of one partition from the first to the last of a run of matching records
   * that replay {@code replayName} already sent (records between them that do not match are not counted).
   */
  public record ReplayedRange(int partition, long startOffset, long endOffset, String replayName) {
  }

  /** One matching record, for a person to check before approving. */
  public record Sample(int partition, long offset, String key, String correlationId, String errorType,
      String targetTopic) {
  }

  public static DlqInspectResult failed(String message) {
    return new DlqInspectResult(null, null, message);
  }

  /** Reads the JSON this command wrote; throws IllegalArgumentException when it is not that. */
  public static DlqInspectResult parse(String json) {
    try {
      return DlqJson.MAPPER.readValue(json, DlqInspectResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a dlq inspect result: " + e.getOriginalMessage(), e);
    }
  }

  public String toJson() {
    try {
      return DlqJson.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
