package io.reducer.workloads.offsets;

import java.util.Locale;

/**
 * Where a reset moves each partition, with the meaning of kafka-consumer-groups --reset-offsets' options of the
 * same names. The constants have the names of the custom resource's {@code ResetTargetType}, so the operator maps
 * one to the other with {@code valueOf(name())} without this module depending on the API module.
 */
public enum ResetTargetType {
  /** The log-start offset (--to-earliest). */
  EARLIEST("earliest", "earliest"),
  /** The log-end offset (--to-latest). */
  LATEST("latest", "latest"),
  /** An explicit offset per partition, clamped to the log start and end (--to-offset, per partition). */
  OFFSET("offset", "offset"),
  /** The first offset whose timestamp is at or after a time; the log end if there is none (--to-datetime). */
  TIMESTAMP("timestamp", "timestamp"),
  /** The current position moved by n records, clamped to the log start and end (--shift-by). */
  SHIFT_BY("shiftBy", "shift-by"),
  /** Like TIMESTAMP with now minus a duration (--by-duration). */
  BY_DURATION("byDuration", "by-duration");

  private final String specName;
  private final String cliName;

  ResetTargetType(String specName, String cliName) {
    this.specName = specName;
    this.cliName = cliName;
  }

  /** The name in a WatermarkReset's spec.target.type, e.g. shiftBy. */
  public String specName() {
    return specName;
  }

  /** The name the CLI's --target takes, e.g. shift-by. */
  public String cliName() {
    return cliName;
  }

  /** Parses the CLI name or the spec name (shift-by or shiftBy), ignoring case; null if it is neither. */
  public static ResetTargetType parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (ResetTargetType type : values()) {
      if (type.cliName.equals(wanted) || type.specName.toLowerCase(Locale.ROOT).equals(wanted)) {
        return type;
      }
    }
    return null;
  }
}
