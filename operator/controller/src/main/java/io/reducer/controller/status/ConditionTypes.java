package io.reducer.controller.status;

/** Condition types of the long-lived kinds: kstatus' Ready, Reconciling and Stalled, plus domain conditions. */
public final class ConditionTypes {

  public static final String READY = "Ready";
  /** Abnormal-true: present only while the operator is still converging. */
  public static final String RECONCILING = "Reconciling";
  /** Abnormal-true: present only while progress needs a change from the user. */
  public static final String STALLED = "Stalled";
  public static final String DEGRADED = "Degraded";
  public static final String PAUSED = "Paused";
  public static final String KAFKA_REACHABLE = "KafkaReachable";
  public static final String DATABASE_REACHABLE = "DatabaseReachable";
  /** The pipeline's three topics exist with the declared partitions, replication factor and config. */
  public static final String TOPICS_READY = "TopicsReady";
  /** The canonical store's tables exist at the current schema version. */
  public static final String SCHEMA_READY = "SchemaReady";
  /** The pipeline's reducer pods run as the spec asks (or are paused). */
  public static final String REDUCERS_READY = "ReducersReady";

  private ConditionTypes() {
  }
}
