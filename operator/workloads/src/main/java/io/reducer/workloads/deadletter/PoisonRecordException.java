package io.reducer.workloads.deadletter;

/** A record that can never be applied; it goes to the DLQ with {@link #errorType()} as x-error-type. */
public final class PoisonRecordException extends Exception {

  public static final String DESERIALIZATION = "DESERIALIZATION_ERROR";
  public static final String VALIDATION = "VALIDATION_ERROR";
  public static final String DATABASE_REJECTED = "DATABASE_REJECTED";

  private final String errorType;

  public PoisonRecordException(String errorType, String message) {
    super(message);
    this.errorType = errorType;
  }

  public PoisonRecordException(String errorType, String message, Throwable cause) {
    super(message, cause);
    this.errorType = errorType;
  }

  public String errorType() {
    return errorType;
  }

  /** The class the DLQ names in x-exception-class: the underlying cause when there is one. */
  public String exceptionClass() {
    return getCause() != null ? getCause().getClass().getName() : getClass().getName();
  }
}
