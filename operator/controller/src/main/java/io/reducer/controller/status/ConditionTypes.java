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

  private ConditionTypes() {
  }
}
