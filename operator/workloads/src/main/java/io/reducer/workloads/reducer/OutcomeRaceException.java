package io.reducer.workloads.reducer;

/**
 * An action of this attempt has an outcome in the dedup log that the attempt did not see: another process recorded
 * it after the attempt read the log, or the attempt did not read it (at first sight). The attempt rolls back and
 * runs again reading the log, which then shows the action as done.
 */
final class OutcomeRaceException extends Exception {

  OutcomeRaceException() {
    super("another reducer recorded one of this batch's actions meanwhile; retrying the batch");
  }
}
