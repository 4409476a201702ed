package io.reducer.workloads.materializer;

/** Bad configuration or an unreachable dependency at startup; the message says how to fix it. */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
