package io.reducer.workloads.reducer.spi;

/**
 * The one thing a team writes: a pure function from the current state of a workflow and one action to the next
 * state or a rejection. The runtime does everything else (dedup, reading, optimistic commit, retries, history,
 * outbox, DLQ). An implementation must not do I/O, read the clock or use randomness: a conflict makes the
 * runtime call it again with a newer state, and a replay calls it with the same inputs, so it has to give the
 * same answer every time.
 *
 * <p>Implementations need a public no-argument constructor when named with {@code --reducer-class}; they are
 * called from one thread at a time.
 */
public interface Reducer {

  /**
   * @param current the committed state of {@code action.workflowKey()}, or null when the workflow has none yet
   * @param action the action to apply
   * @return {@link Reduction.Applied} with the next state (the runtime gives it the next version), or
   *     {@link Reduction.Rejected} with an error type that lands in the DLQ's {@code x-error-type} header
   */
  Reduction reduce(WorkflowState current, Action action);
}
