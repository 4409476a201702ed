package io.reducer.workloads.trace;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One record or row that carries the correlation id (or, for {@link #PROJECTION}, the projection row of a workflow
 * it changed). Null fields are unknown or do not apply and are left out of the JSON.
 *
 * @param time record timestamp or the row's time column, RFC 3339
 * @param source topic, or schema-qualified table
 * @param partition topic partition; null for a row
 * @param offset topic offset; null for a row
 * @param type one of the constants below
 * @param workflowKey the workflow, from the JSON or else the record key
 * @param trigger the action's trigger ({@code action} field), for actions, history and gave-up rows
 * @param state the state of an event or row
 * @param errorType for dead letters and gave-up rows
 * @param detail what else the timeline shows: action id, error message, outbox publication, previous state
 * @param matchedBy what carried the id: {@code header}, {@code correlation_id}, {@code payload.correlation_id}, the
 *     DLQ format, {@code column}, or {@code workflow_key} for a projection row
 * @param published for an outbox row: whether the relay has published it
 */
public record TimelineEntry(
    String time,
    String source,
    Integer partition,
    Long offset,
    String type,
    String workflowKey,
    Long version,
    String trigger,
    String state,
    String errorType,
    String detail,
    String matchedBy,
    Boolean published) {

  public static final String ACTION = TopicRole.ACTIONS.entryType();
  public static final String STATE_COMMITTED = TopicRole.STATE_COMMITTED.entryType();
  public static final String DLQ = TopicRole.DLQ.entryType();
  public static final String RECORD = TopicRole.OTHER.entryType();
  public static final String HISTORY = "history";
  public static final String GAVE_UP = "gave-up";
  public static final String OUTBOX = "outbox";
  public static final String STATE = "state";
  public static final String PROJECTION = "projection";

  /** The order of the system, for entries of the same time. */
  private static final List<String> SYSTEM_ORDER = List.of(ACTION, RECORD, HISTORY, GAVE_UP, DLQ, STATE, OUTBOX,
      STATE_COMMITTED, PROJECTION);

  /** By time, then in the order of the system, then by source, partition and offset. */
  static final Comparator<TimelineEntry> BY_TIME = Comparator
      .comparing((TimelineEntry e) -> Instant.parse(e.time()))
      .thenComparingInt(e -> SYSTEM_ORDER.indexOf(e.type()))
      .thenComparing(TimelineEntry::source)
      .thenComparing(e -> e.partition() == null ? -1 : e.partition())
      .thenComparing(e -> e.offset() == null ? -1 : e.offset());

  /** A row of a table, without partition and offset. */
  static TimelineEntry row(Instant time, String table, String type, String workflowKey, Long version, String trigger,
      String state, String errorType, String detail, String matchedBy, Boolean published) {
    return new TimelineEntry(time.toString(), table, null, null, type, workflowKey, version, trigger, state, errorType,
        detail, matchedBy, published);
  }
}
