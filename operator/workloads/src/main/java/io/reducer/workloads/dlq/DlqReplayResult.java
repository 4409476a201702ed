package io.reducer.workloads.dlq;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What {@code workloads dlq replay} writes to the termination log at the end (and to {@code --progress-file}
 * while it runs), in the shape of the DlqReplay status field {@code progress}
 * (io.reducer.api.v1alpha1.dlq.ReplayProgress) plus the outcome:
 *
 * <pre>
 * {"progress":{"matched":10,"replayed":8,"skipped":2,"skippedByReason":{"maxReplays":1,"unroutable":1},"failed":0},
 *  "result":"Succeeded","message":"..."}
 * </pre>
 *
 * {@code result} is {@value #RUNNING} only in the progress file, then {@value #SUCCEEDED} or {@value #FAILED}.
 */
public record DlqReplayResult(Progress progress, String result, String message) {

  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  /** Skip reason: the record does not say where it came from and no target topic was given. */
  public static final String UNROUTABLE = "unroutable";
  /** Skip reason: the record's x-replay-count header reached --max-replays. */
  public static final String MAX_REPLAYS = "maxReplays";
  /** Skip reason: the record's target is not one of --allowed-targets (for the operator: the pipeline's topics). */
  public static final String TARGET_NOT_ALLOWED = "targetNotAllowed";
  /** Skip reason: the ledger says an earlier replay already sent this DLQ record, and --replay-again is false. */
  public static final String ALREADY_REPLAYED = "alreadyReplayed";

  /**
   * Counters of the records selected so far. {@code matched} = {@code replayed} + {@code skipped}
   * + {@code failed}; replayed and skipped count only what was committed.
   */
  public record Progress(long matched, long replayed, long skipped, Map<String, Long> skippedByReason,
      long failed) {

    public static Progress none() {
      return new Progress(0, 0, 0, new TreeMap<>(), 0);
    }

    /**
     * The counters a running replay has committed, read from the metadata of one of its committed DLQ offsets;
     * null when the metadata is not a replay checkpoint. Lets the operator show progress while the Job runs.
     */
    public static Progress fromOffsetMetadata(String metadata) {
      ReplayCheckpoint checkpoint = ReplayCheckpoint.decode(metadata);
      if (checkpoint == null) {
        return null;
      }
      Map<String, Long> skipped = new TreeMap<>(checkpoint.skipped() == null ? Map.of() : checkpoint.skipped());
      return new Progress(checkpoint.matched(), checkpoint.replayed(),
          skipped.values().stream().mapToLong(Long::longValue).sum(), skipped, 0);
    }
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(result);
  }

  /** Reads the JSON this command wrote; throws IllegalArgumentException when it is not that. */
  public static DlqReplayResult parse(String json) {
    try {
      DlqReplayResult result = DlqJson.MAPPER.readValue(json, DlqReplayResult.class);
      // Valid JSON is not enough: a reader of this result relies on both, and a pod may print any JSON last.
      if (result == null || result.progress() == null || result.result() == null) {
        throw new IllegalArgumentException("not a dlq replay result (it needs \"progress\" and \"result\"): "
            + (json.length() > 200 ? json.substring(0, 200) + "..." : json));
      }
      return result;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a dlq replay result: " + e.getOriginalMessage(), e);
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
