package io.reducer.workloads.offsets;

/** How a run of {@code offsets reset} ended, as written in its result. */
public enum ResetOutcome {
  /** Watermarks, epoch (and truncation) committed and the group offsets moved. */
  Completed,
  /** Stopped with an error; the message says whether the database was changed and how to finish. */
  Failed,
  /** Plan printed, nothing changed. */
  DryRun
}
