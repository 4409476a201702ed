package io.reducer.controller.kafka;

import io.reducer.controller.status.FailureReason;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** A failed Kafka call, with the condition reason it maps to and a message that says what to check. */
public final class KafkaFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** Condition reasons for Kafka failures. */
  public enum Reason implements FailureReason {
    KafkaUnreachable,
    KafkaAuthenticationFailed,
    KafkaAuthorizationFailed,
    TopicNotFound,
    /** The broker (or its create/alter policy) refused a topic config: unknown key, invalid value. */
    TopicConfigRejected,
    /** A topic to create exists already, e.g. created meanwhile by another client. */
    TopicAlreadyExists,
    /** The broker refused a topic request as invalid: a replication factor above the broker count, bad partitions. */
    InvalidTopicRequest,
    KafkaError;

    /** A broker that answered and refused: credentials, ACLs, a missing topic, a request it finds invalid. */
    @Override
    public boolean needsUser() {
      return this != KafkaUnreachable && this != KafkaError && this != TopicAlreadyExists;
    }
  }

  private final Reason reason;

  public KafkaFailure(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Maps an exception from the Admin client to a reason and an actionable message. */
  public static KafkaFailure of(Throwable error, String bootstrapServers, String what) {
    return of(error, bootstrapServers, what, "Describe on the topics and groups");
  }

  /**
   * Like {@link #of(Throwable, String, String)}, for a call that needs another permission.
   *
   * @param permission the ACL the call needs, for the message, e.g. "Create on the topic"
   */
  public static KafkaFailure of(Throwable error, String bootstrapServers, String what, String permission) {
    Throwable cause = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
      return new KafkaFailure(Reason.KafkaUnreachable, what + ": no answer from " + bootstrapServers
          + " in time; check spec.kafka.bootstrapServers, the network path and that the brokers are up", cause);
    }
    if (cause instanceof AuthenticationException) {
      return new KafkaFailure(Reason.KafkaAuthenticationFailed, what + ": authentication failed at "
          + bootstrapServers + " (" + cause.getMessage() + "); check spec.kafka.security and its Secrets", cause);
    }
    if (cause instanceof AuthorizationException) {
      return new KafkaFailure(Reason.KafkaAuthorizationFailed, what + ": not authorized ("
          + cause.getMessage() + "); grant the operator's Kafka principal " + permission, cause);
    }
    if (cause instanceof UnknownTopicOrPartitionException) {
      return new KafkaFailure(Reason.TopicNotFound, what + ": " + cause.getMessage(), cause);
    }
    // Before the config check: InvalidReplicationFactorException is an InvalidConfigurationException.
    if (cause instanceof InvalidReplicationFactorException || cause instanceof InvalidPartitionsException
        || cause instanceof InvalidTopicException || cause instanceof InvalidRequestException) {
      return new KafkaFailure(Reason.InvalidTopicRequest, what + ": the broker refused it: " + cause.getMessage(),
          cause);
    }
    if (cause instanceof InvalidConfigurationException || cause instanceof PolicyViolationException) {
      return new KafkaFailure(Reason.TopicConfigRejected, what + ": the broker rejected it: " + cause.getMessage(),
          cause);
    }
    if (cause instanceof TopicExistsException) {
      return new KafkaFailure(Reason.TopicAlreadyExists, what + ": " + cause.getMessage(), cause);
    }
    return new KafkaFailure(Reason.KafkaError, what + ": " + cause, cause);
  }
}
