package io.reducer.testsupport.cluster;

/**
 * A container that cannot be started as configured (a missing Secret, an unsupported field). The pod waits with
 * reason {@code CreateContainerConfigError} and this message, and is tried again on every pass.
 */
final class ContainerConfigException extends Exception {

  ContainerConfigException(String message) {
    super(message);
  }
}
