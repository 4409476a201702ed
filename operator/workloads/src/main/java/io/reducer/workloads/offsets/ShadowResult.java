package io.reducer.workloads.offsets;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.dlq.TerminationMessage;

/**
 * What a run of {@code offsets shadow} did, as the JSON it prints and writes to the container's termination log, for
 * the operator to copy into the WatermarkReset's status. Example of a cutover:
 *
 * <pre>
 * {"action":"cutover","result":"Completed","shadowTable":"workflow_projection_shadow_a1b2",
 *  "shadowProjection":"workflow-projection#shadow-a1b2","newEpoch":4,"partitions":12,"lockMillis":31,"message":"..."}
 * </pre>
 *
 * @param result Completed, Unchanged (an earlier run did it, or there was nothing to drop), Refused (nothing changed;
 *     the exit code tells "later" from "needs a person") or Failed
 * @param shadowGroup the consumer group the shadow materializers use (create)
 * @param previousTable where the old live table is kept (cutover with keep-previous)
 * @param newEpoch the live projection's epoch after a cutover
 * @param partitions watermark rows a cutover moved to the live identity
 * @param lockMillis how long the cutover held (or waited for) the table locks: the longest a reader was blocked
 * @param notCarried what the shadow does not carry over from the live table (create)
 */
@JsonPropertyOrder({"action", "result", "shadowTable", "shadowProjection", "shadowGroup", "previousTable", "newEpoch",
    "partitions", "lockMillis", "notCarried", "message"})
public record ShadowResult(String action, Outcome result, String shadowTable, String shadowProjection,
    String shadowGroup, String previousTable, Long newEpoch, Integer partitions, Long lockMillis,
    List<String> notCarried, String message) {

  /** How a run ended. */
  public enum Outcome { Completed, Unchanged, Refused, Failed }

  private static final int MAX_TEXT_BYTES = 1000;
  private static final ObjectMapper JSON = new ObjectMapper()
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_EMPTY)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public ShadowResult {
    notCarried = notCarried == null ? List.of() : List.copyOf(notCarried);
    message = message == null ? "" : message;
  }

  static ShadowResult of(ShadowAction action, Outcome outcome, String message) {
    return new ShadowResult(action == null ? null : action.word(), outcome, null, null, null, null, null, null, null,
        null, message);
  }

  /** Parses what {@link #toJson} wrote; unknown fields are ignored. */
  public static ShadowResult parse(String json) {
    try {
      return JSON.readValue(json, ShadowResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a shadow result: " + e.getOriginalMessage(), e);
    }
  }

  /** The JSON, within Kubernetes' termination message: the message and each note are cut when too long. */
  public String toJson() {
    List<String> notes = notCarried.stream().map(note -> TerminationMessage.cutToBytes(note, 200)).toList();
    return write(new ShadowResult(action, result, shadowTable, shadowProjection, shadowGroup, previousTable, newEpoch,
        partitions, lockMillis, notes.size() > 10 ? notes.subList(0, 10) : notes,
        TerminationMessage.cutToBytes(message, MAX_TEXT_BYTES)));
  }

  private static String write(ShadowResult result) {
    try {
      return JSON.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a shadow result", e);
    }
  }
}
