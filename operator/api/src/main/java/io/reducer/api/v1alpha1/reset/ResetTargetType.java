package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Reset targets, with the meaning of kafka-consumer-groups --reset-offsets' options of the same names. */
public enum ResetTargetType {
  /** The log-start offset of each partition (--to-earliest). */
  @JsonProperty("earliest") EARLIEST,
  /** The log-end offset of each partition (--to-latest). */
  @JsonProperty("latest") LATEST,
  /** An explicit offset per partition, clamped to the log start and end (--to-offset, per partition). */
  @JsonProperty("offset") OFFSET,
  /** The first offset whose timestamp is at or after the given time; the log end if there is none (--to-datetime). */
  @JsonProperty("timestamp") TIMESTAMP,
  /** The current position moved by shiftBy records, clamped to the log start and end (--shift-by). */
  @JsonProperty("shiftBy") SHIFT_BY,
  /** The first offset at or after now minus the duration (--by-duration). */
  @JsonProperty("byDuration") BY_DURATION
}
