package io.reducer.controller.probe;

import io.reducer.controller.status.FailureReason;

/** Why a projection could not be probed, when neither Kafka, PostgreSQL nor a reference is the cause. */
public enum ProbeFailureReason implements FailureReason {
  /** spec.table is not a plain SQL identifier. */
  InvalidTableName,
  /** spec.table is a table of the canonical store or the watermarks. */
  ReservedTableName,
  /** The probe of the pipeline failed unexpectedly; the next round tries again. */
  ProbeFailed;

  /** A table name the CRD should have refused. */
  @Override
  public boolean needsUser() {
    return this != ProbeFailed;
  }
}
