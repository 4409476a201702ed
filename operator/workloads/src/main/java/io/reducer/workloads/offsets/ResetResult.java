package io.reducer.workloads.offsets;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a run of {@code offsets reset} did, as the JSON it writes to the container's termination log. The names
 * follow the custom resource's {@code ResetPlan} and {@code PartitionPlan}, so the operator copies the values
 * into status; it reads the message with {@link #parse}. Example:
 *
 * <pre>
 * {"result":"Completed","currentEpoch":3,"newEpoch":4,"truncated":true,
 *  "partitions":[{"partition":0,"currentOffset":120,"newOffset":0,"logStartOffset":0,"logEndOffset":120}],
 *  "message":"..."}
 * </pre>
 *
 * @param currentEpoch the projection's epoch before the reset; null if it could not be read
 * @param newEpoch the epoch after the reset (planned, for a dry run); null if there is no plan
 * @param truncated the plan truncates the projection table (rebuild)
 * @param partitions the plan; empty when there is none, or when it would not fit (the message then says so)
 * @param partitionCount how many partitions the plan has, also when {@code partitions} is left out; null without a
 *     plan
 * @param appliedTo where the whole plan was written, for a reader to check it there: the projection's watermark
 *     rows and the group's committed offsets; null when nothing was written (a failure before the database
 *     transaction, a dry run)
 */
@JsonPropertyOrder({"result", "currentEpoch", "newEpoch", "truncated", "partitionCount", "partitions", "appliedTo",
    "message"})
public record ResetResult(ResetOutcome result, Long currentEpoch, Long newEpoch,
    @JsonAlias("truncate") boolean truncated, Integer partitionCount, List<PlannedPartition> partitions,
    AppliedTo appliedTo, String message) {

  /**
   * Where a reset keeps its whole result: the rows of {@code watermarkTable} (schema-qualified) with this namespace
   * and projection (their next_offset and epoch), and the committed offsets of {@code group} on {@code topic}.
   */
  public record AppliedTo(String watermarkTable, String namespace, String projection, String group, String topic) {

    @Override
    public String toString() {
      return "the rows of " + watermarkTable + " with namespace '" + namespace + "' and projection '" + projection
          + "', and the committed offsets of consumer group " + group + " on " + topic;
    }
  }

  public ResetResult(ResetOutcome result, Long currentEpoch, Long newEpoch, boolean truncated,
      List<PlannedPartition> partitions, String message) {
    this(result, currentEpoch, newEpoch, truncated, null, partitions, null, message);
  }

  /** Kubernetes keeps at most 4096 bytes of a termination message; stay well below. */
  public static final int MAX_MESSAGE_BYTES = 3000;
  private static final int MAX_TEXT_CHARS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper()
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public ResetResult {
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
    message = message == null ? "" : message;
    if (partitionCount == null && !partitions.isEmpty()) {
      partitionCount = partitions.size();
    }
  }

  /** This result with where it was applied. */
  public ResetResult appliedTo(AppliedTo where) {
    return new ResetResult(result, currentEpoch, newEpoch, truncated, partitionCount, partitions, where, message);
  }

  /** A failure before anything was planned, e.g. a configuration error or a group that is not empty. */
  public static ResetResult failed(String message) {
    return new ResetResult(ResetOutcome.Failed, null, null, false, List.of(), message);
  }

  /** Parses a termination message written by {@link #toJson}; unknown fields are ignored. */
  public static ResetResult parse(String json) {
    try {
      ResetResult result = JSON.readValue(json, ResetResult.class);
      if (result == null || result.result() == null) {
        throw new IllegalArgumentException("not a reset result (no \"result\" field): " + abbreviate(json));
      }
      return result;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a reset result: " + e.getOriginalMessage() + ": " + abbreviate(json), e);
    }
  }

  /**
   * The JSON, at most {@link #MAX_MESSAGE_BYTES} bytes: a long message is cut, and a plan too long to fit (about 25
   * partitions and more) is left out: the summary keeps {@code partitionCount} and {@code appliedTo}, and the message
   * says where the whole plan is (the watermark rows and group offsets it was written to, and the command's output).
   */
  public String toJson() {
    ResetResult shortened = new ResetResult(result, currentEpoch, newEpoch, truncated, partitionCount, partitions,
        appliedTo, abbreviate(message));
    String json = write(shortened);
    if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES) {
      return json;
    }
    String where = appliedTo == null ? "the reset's log has it" : "it is in " + appliedTo + ", and in the reset's log";
    return write(new ResetResult(result, currentEpoch, newEpoch, truncated, partitionCount, List.of(), appliedTo,
        abbreviate("(the plan of " + partitions.size() + " partitions is too long for this message; " + where + ") "
            + message)));
  }

  private static String write(ResetResult result) {
    try {
      return JSON.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a reset result", e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS - 3) + "...";
  }
}
