package io.reducer.controller.dlq;

/** What the DlqReplay reconciler changes outside the replay's own status; decided by {@link DlqReplayDecider}. */
public enum ReplayEffect {

  /**
   * Create the inspect Job (snapshot and preview); creating one that exists already is a no-op, so repeating a
   * decision is safe.
   */
  START_INSPECT,

  /** Create the replay Job; creating one that exists already is a no-op, so repeating a decision is safe. */
  START_REPLAY,

  /** Delete both Jobs (the replay was cancelled); a Job that is gone or not the replay's own is left alone. */
  DELETE_JOBS
}
