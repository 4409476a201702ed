package io.reducer.controller.events;

/** Reasons of the Events the operator records; each names a decision a user would want to see. */
public enum EventReason {
  /** A pipeline's reducer Deployment was created (a projection's materializer Deployment records none). */
  DeploymentCreated,
  /** Materializers were added (partitions grew, lag rose, or a pause ended), or reducers (spec.reducer.replicas). */
  ScaledUp,
  /** Materializers were removed (lag fell after the cooldown, or maxReplicas was lowered), or reducers. */
  ScaledDown,
  /**
   * Scaled to zero: a pipeline's reducers (spec.paused or the reducer.io/paused annotation) or a projection's
   * materializers (the same on it or its pipeline, or a WatermarkReset holds it).
   */
  Paused,
  /** A pause ended and the materializers or reducers were restored. */
  Resumed,
  /**
   * The operator refused the spec (reference to another namespace, image not allowed, missing pipeline, a state
   * machine that does not hold together).
   */
  Refused,
  /** A connection to Kafka or PostgreSQL failed. */
  ConnectionFailed,
  /** A connection works again after a failure. */
  ConnectionRestored,
  /**
   * A projection's materializer pods cannot start or keep crashing, or its Deployment cannot create them (Warning
   * event; the message is the cause: the image that cannot be pulled, kubelet's message, the last exit code).
   */
  MaterializersFailing,
  /** The failure of a projection's materializer pods is gone (Normal event). */
  MaterializersRecovered,
  /** A one-shot operation waits its turn (another reset holds the projection) or for something outside it. */
  Waiting,
  /** A reset scaled the projection's materializers to zero and waits for its consumer group to empty. */
  Quiescing,
  /** A reset's plan (old and new position per partition, new epoch) is in status. */
  Planned,
  /** A plan or preview waits for the annotation reducer.io/approve: "true". */
  AwaitingApproval,
  /** A reset Job was started. */
  ResetStarted,
  /** A reset moved watermarks, epoch and group offsets, and the projection runs again. */
  ResetCompleted,
  /** A reset failed; the projection was resumed. */
  ResetFailed,
  /** A DLQ snapshot was taken and its matching records are being counted. */
  PreviewStarted,
  /** The preview of a replay is in status. */
  PreviewReady,
  /** A replay Job was started. */
  ReplayStarted,
  /** A replay republished its snapshot. */
  ReplaySucceeded,
  /** A replay failed. */
  ReplayFailed,
  /** A replay was cancelled with the annotation reducer.io/cancel: "true"; its Jobs were deleted. */
  ReplayCancelled,
  /** A finished one-shot resource was deleted to keep the history limit. */
  HistoryPruned,
  /** A recovery Job's pod cannot start (image, Secret, scheduling); the resource waits in its phase. */
  JobPodNotStarting,
  /** A pipeline topic was missing and was created with the declared partitions, replication factor and config. */
  TopicCreated,
  /** A pipeline topic's partitions were raised to the declared count. */
  PartitionsIncreased,
  /** Declared configs of a pipeline topic were set on it. */
  TopicConfigChanged,
  /** The spec asks for a topic change the operator never makes: fewer partitions, another replication factor. */
  TopicChangeRefused,
  /** The broker refused or failed a topic change: a rejected config, a failed creation. */
  TopicChangeFailed,
  /** The canonical store's tables were created or migrated to the current schema version. */
  SchemaCreated,
  /** The canonical store schema could not be created, e.g. the database user lacks a grant. */
  SchemaFailed,
  /** A pipeline's health turned Warning or Critical, or worse than it was (Warning event). */
  HealthDegraded,
  /** A pipeline's health became Unknown: a figure could not be measured (Warning event). */
  HealthUnknown,
  /** A pipeline's health improved: back to Healthy, or Critical down to Warning (Normal event). */
  HealthRecovered
}
