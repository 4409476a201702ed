package io.reducer.workloads.dlq;

/** Bad flags or an unusable DLQ, target or consumer group; the message says how to fix it. */
final class ConfigException extends Exception {

  ConfigException(String message) {
    super(message);
  }

  ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
