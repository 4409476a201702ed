package io.reducer.workloads.offsets;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A reset target: its type and the one value that goes with it (offsets per partition, a timestamp, a shift or a
 * duration); the values of other types must be null. Use the factory methods.
 */
public record ResetTarget(ResetTargetType type, Map<Integer, Long> offsets, Instant timestamp, Long shiftBy,
    Duration duration) {

  public ResetTarget {
    Objects.requireNonNull(type, "type");
    require(type == ResetTargetType.OFFSET, offsets != null, "offsets");
    require(type == ResetTargetType.TIMESTAMP, timestamp != null, "timestamp");
    require(type == ResetTargetType.SHIFT_BY, shiftBy != null, "shiftBy");
    require(type == ResetTargetType.BY_DURATION, duration != null, "duration");
    if (offsets != null) {
      if (offsets.isEmpty()) {
        throw new IllegalArgumentException("target offset needs an offset for at least one partition");
      }
      offsets.forEach((partition, offset) -> {
        if (partition == null || partition < 0 || offset == null) {
          throw new IllegalArgumentException("offsets need a partition (from 0) and an offset, got "
              + partition + "=" + offset);
        }
      });
      offsets = Collections.unmodifiableMap(new TreeMap<>(offsets));
    }
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, got " + duration);
    }
  }

  public static ResetTarget earliest() {
    return new ResetTarget(ResetTargetType.EARLIEST, null, null, null, null);
  }

  public static ResetTarget latest() {
    return new ResetTarget(ResetTargetType.LATEST, null, null, null, null);
  }

  /** Explicit offsets, partition to offset; the partitions listed are the ones reset. */
  public static ResetTarget offsets(Map<Integer, Long> offsets) {
    return new ResetTarget(ResetTargetType.OFFSET, offsets, null, null, null);
  }

  public static ResetTarget timestamp(Instant timestamp) {
    return new ResetTarget(ResetTargetType.TIMESTAMP, null, timestamp, null, null);
  }

  public static ResetTarget shiftBy(long records) {
    return new ResetTarget(ResetTargetType.SHIFT_BY, null, null, records, null);
  }

  public static ResetTarget byDuration(Duration duration) {
    return new ResetTarget(ResetTargetType.BY_DURATION, null, null, null, duration);
  }

  /** The target in words, for plans and logs, e.g. "shift-by -100" or "timestamp 2026-01-01T00:00:00Z". */
  public String describe() {
    switch (type) {
      case OFFSET:
        return "offset " + offsets.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
      case TIMESTAMP:
        return "timestamp " + timestamp;
      case SHIFT_BY:
        return "shift-by " + shiftBy;
      case BY_DURATION:
        return "by-duration " + duration;
      default:
        return type.cliName();
    }
  }

  private static void require(boolean wanted, boolean present, String field) {
    if (wanted && !present) {
      throw new IllegalArgumentException("target " + field + " needs a value");
    }
    if (!wanted && present) {
      throw new IllegalArgumentException(field + " only goes with its own target type");
    }
  }
}
