package io.reducer.workloads.reducer;

/** A setting of {@code workloads reduce} that cannot work; the message names the fix. Exit code 2. */
public final class ReducerConfigException extends Exception {

  public ReducerConfigException(String message) {
    super(message);
  }

  public ReducerConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
