package io.reducer.workloads.reducer;

/**
 * Another process recorded an outcome for an action of this attempt after it read the dedup log. The attempt rolls
 * back and runs again; the dedup log then shows the action as done.
 */
final class OutcomeRaceException extends Exception {

  OutcomeRaceException() {
    super("another reducer recorded one of this batch's actions meanwhile; retrying the batch");
  }
}
