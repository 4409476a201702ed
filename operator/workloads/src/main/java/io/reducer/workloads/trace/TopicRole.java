package io.reducer.workloads.trace;

/** What a topic is to the pipeline, which says how its records are read and which stage they show. */
enum TopicRole {
  /** Actions the reducer reads (docs/reducer.md, the action contract): the action was received. */
  ACTIONS("action", TraceOptions.ACTIONS_TOPIC_FLAG, TraceOptions.ACTIONS_TOPIC_ENV),
  /** state-committed events the outbox relay publishes: a version was published. */
  STATE_COMMITTED("state-committed", TraceOptions.STATE_COMMITTED_TOPIC_FLAG, TraceOptions.STATE_COMMITTED_TOPIC_ENV),
  /** Dead letters in any format of io.reducer.workloads.dlq.format: the action was rejected or given up on. */
  DLQ("dlq", TraceOptions.DLQ_TOPIC_FLAG, TraceOptions.DLQ_TOPIC_ENV),
  /** Any other topic given with --topic, e.g. one of the runbooks' event topics. */
  OTHER("record", TraceOptions.TOPICS_FLAG, TraceOptions.TOPICS_ENV);

  private final String entryType;
  private final String flag;
  private final String variable;

  TopicRole(String entryType, String flag, String variable) {
    this.entryType = entryType;
    this.flag = flag;
    this.variable = variable;
  }

  /** The option that names a topic of this role, e.g. {@code --actions-topic (TRACE_ACTIONS_TOPIC)}. */
  String option() {
    return flag + " (" + variable + ")";
  }

  /** The type of its records in the timeline. */
  String entryType() {
    return entryType;
  }
}
