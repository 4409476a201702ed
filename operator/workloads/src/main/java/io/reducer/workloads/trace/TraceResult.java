package io.reducer.workloads.trace;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.reducer.workloads.dlq.TerminationMessage;

/**
 * What {@code workloads trace} found: the JSON document of {@code -o json} and of the termination log. Null fields
 * are left out; readers ignore fields they do not know ({@link #parse}).
 *
 * @param result {@link #FOUND}, {@link #NOT_FOUND} or {@link #FAILED}
 * @param window the searched window, RFC 3339; {@code until} absent = up to the end offsets taken at the start
 * @param timeline every record and row found, by time; left out of a termination message that would not fit
 * @param timelineEntries how many entries the timeline has (also when it was left out)
 * @param counts records read and matched per topic, rows matched per table
 * @param notes what was not checked and why (a table that does not exist, no database given)
 * @param message one line: what was found, or why the trace failed
 */
public record TraceResult(
    String result,
    String correlationId,
    Window window,
    List<TimelineEntry> timeline,
    Integer timelineEntries,
    Verdict verdict,
    Counts counts,
    List<String> notes,
    String message) {

  public static final String FOUND = "Found";
  public static final String NOT_FOUND = "NotFound";
  public static final String FAILED = "Failed";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
          JsonInclude.Include.NON_NULL))
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  public record Window(String since, String until) {
  }

  /** A topic's partitions, the records read in the window, and how many of them carry the id. */
  public record TopicCount(int partitions, long recordsRead, long matched) {
  }

  /** @param tables rows that matched per table read (tables that do not exist are left out) */
  public record Counts(Map<String, TopicCount> topics, Map<String, Long> tables) {
  }

  static TraceResult failed(String correlationId, String message) {
    return new TraceResult(FAILED, correlationId, null, null, null, null, null, null, message);
  }

  public boolean found() {
    return FOUND.equals(result);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a trace result as JSON", e);
    }
  }

  public static TraceResult parse(String json) {
    try {
      return JSON.readValue(json, TraceResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a trace result: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The JSON, or a summary that fits Kubernetes' termination message ({@link TerminationMessage#MAX_BYTES}): without
   * the timeline; then without counts and notes too; then with the message and verdict summary cut.
   */
  public String terminationJson() {
    String json = toJson();
    if (bytes(json) <= TerminationMessage.MAX_BYTES) {
      return json;
    }
    String cut = message + " (the timeline of " + timelineEntries + " entries is left out to fit the termination "
        + "message; the command's output has it)";
    TraceResult summary = new TraceResult(result, correlationId, window, null, timelineEntries, verdict, counts, notes,
        cut);
    json = summary.toJson();
    if (bytes(json) <= TerminationMessage.MAX_BYTES) {
      return json;
    }
    Verdict verdictOnly = verdict == null ? null : new Verdict(null, verdict.furthest(), verdict.summary());
    summary = new TraceResult(result, shorten(correlationId), window, null, timelineEntries, verdictOnly, null, null,
        cut);
    json = summary.toJson();
    int excess = bytes(json) - TerminationMessage.MAX_BYTES;
    if (excess > 0 && verdictOnly != null) {
      verdictOnly = new Verdict(null, verdict.furthest(), TerminationMessage.cutToBytes(verdict.summary(), 1024));
      summary = new TraceResult(result, shorten(correlationId), window, null, timelineEntries, verdictOnly, null,
          null, cut);
      json = summary.toJson();
    }
    while (bytes(json) > TerminationMessage.MAX_BYTES && !summary.message().isEmpty()) {
      String message = TerminationMessage.cutToBytes(summary.message(),
          bytes(summary.message()) - (bytes(json) - TerminationMessage.MAX_BYTES));
      summary = new TraceResult(result, summary.correlationId(), window, null, timelineEntries, summary.verdict(),
          null, null, message);
      json = summary.toJson();
    }
    return json;
  }

  private static String shorten(String text) {
    return text == null ? null : TerminationMessage.cutToBytes(text, 512);
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
