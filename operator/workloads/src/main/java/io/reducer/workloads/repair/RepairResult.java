package io.reducer.workloads.repair;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.dlq.TerminationMessage;

/**
 * What a run of {@code workloads repair} did, as the JSON it prints and writes to the container's termination log:
 *
 * <pre>
 * {"result":"Completed","table":"public.workflow_projection","scope":"stale","examined":120,"written":118,
 *  "pages":1,"message":"..."}
 * </pre>
 *
 * @param result Completed (also when nothing was behind), Refused (a table is missing: nothing was written) or Failed
 * @param examined canonical rows the scope selected
 * @param written projection rows inserted or updated; the others were already as new, or newer (a materializer
 *     wrote them meanwhile); with dryRun, the rows it would insert or update
 * @param dryRun true when nothing was written (absent otherwise)
 */
@JsonPropertyOrder({"result", "table", "scope", "key", "examined", "written", "pages", "dryRun", "message"})
public record RepairResult(Outcome result, String table, String scope, String key, Long examined, Long written,
    Long pages, Boolean dryRun, String message) {

  /** How a run ended. */
  public enum Outcome { Completed, Refused, Failed }

  private static final int MAX_TEXT_BYTES = 1000;
  private static final ObjectMapper JSON = new ObjectMapper()
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public RepairResult {
    message = message == null ? "" : message;
  }

  /** Parses what {@link #toJson} wrote; unknown fields are ignored. */
  public static RepairResult parse(String json) {
    try {
      return JSON.readValue(json, RepairResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a repair result: " + e.getOriginalMessage(), e);
    }
  }

  /** The JSON, within Kubernetes' termination message: the message is cut when too long. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(new RepairResult(result, table, scope, key, examined, written, pages, dryRun,
          TerminationMessage.cutToBytes(message, MAX_TEXT_BYTES)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a repair result", e);
    }
  }
}
