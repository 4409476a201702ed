package io.reducer.workloads.materializer;

/**
 * A shadow step refused to run and changed nothing. {@link #retryable()} tells a refusal that may pass later (the
 * shadow is still behind, a lock was not granted in time) from one that needs a person (the table does not exist, a
 * shadow of another definition is in the way, views would be left on the old table).
 */
public class ShadowRefusedException extends Exception {

  private final boolean retryable;

  public ShadowRefusedException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public ShadowRefusedException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
