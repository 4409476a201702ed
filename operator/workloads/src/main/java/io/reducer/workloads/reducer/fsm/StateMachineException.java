package io.reducer.workloads.reducer.fsm;

/**
 * A state machine definition that cannot be used. Checked, because a bad definition is a configuration error the
 * caller has to report at startup instead of crashing on; the message names the offending entry.
 */
public class StateMachineException extends Exception {

  public StateMachineException(String message) {
    super(message);
  }

  public StateMachineException(String message, Throwable cause) {
    super(message, cause);
  }
}
