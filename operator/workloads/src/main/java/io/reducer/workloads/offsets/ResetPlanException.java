package io.reducer.workloads.offsets;

/**
 * The target cannot be planned for this topic and position, e.g. an offset for a partition the topic lacks, or a
 * shift for a partition without a current position. The message says what to change; nothing was changed.
 */
public final class ResetPlanException extends Exception {

  public ResetPlanException(String message) {
    super(message);
  }
}
