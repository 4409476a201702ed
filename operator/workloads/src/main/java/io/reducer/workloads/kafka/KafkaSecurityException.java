package io.reducer.workloads.kafka;

/** Kafka security settings that do not fit together; the message names the variable to fix, never a value. */
public final class KafkaSecurityException extends Exception {

  private static final long serialVersionUID = 1L;

  public KafkaSecurityException(String message) {
    super(message);
  }
}
