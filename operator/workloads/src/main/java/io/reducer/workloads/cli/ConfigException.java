package io.reducer.workloads.cli;

/**
 * Bad configuration or an unreachable dependency at startup, of any workloads command; the message says how to fix
 * it. Commands exit with {@link io.reducer.workloads.ExitCodes#BAD_CONFIGURATION}.
 */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
