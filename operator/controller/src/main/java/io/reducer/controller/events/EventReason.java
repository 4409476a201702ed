package io.reducer.controller.events;

/** Reasons of the Events the operator records; each names a decision a user would want to see. */
public enum EventReason {
  /** The materializer Deployment was created. */
  DeploymentCreated,
  /** Materializers were added (partitions grew, lag rose, or a pause ended). */
  ScaledUp,
  /** Materializers were removed (lag fell after the cooldown, or maxReplicas was lowered). */
  ScaledDown,
  /** The projection was scaled to zero: spec.paused, the pipeline paused, or a WatermarkReset holds it. */
  Paused,
  /** A pause ended and the materializers were restored. */
  Resumed,
  /** The operator refused the spec (reference to another namespace, image not allowed, missing pipeline). */
  Refused,
  /** A connection to Kafka or PostgreSQL failed. */
  ConnectionFailed,
  /** A connection works again after a failure. */
  ConnectionRestored
}
