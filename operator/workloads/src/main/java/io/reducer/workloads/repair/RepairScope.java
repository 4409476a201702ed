package io.reducer.workloads.repair;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.reducer.workloads.cli.ConfigException;

/** Which projection rows a repair rewrites from the canonical store. Neither ever moves a row to an older version. */
public enum RepairScope {
  /** Rows behind workflow_state (or missing): the runbooks' consistency query, fixed. */
  STALE("stale"),
  /** Every canonical row, also where the versions are equal, to overwrite a row whose content went wrong. */
  ALL("all");

  private final String word;

  RepairScope(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  static RepairScope parse(String text) throws ConfigException {
    for (RepairScope scope : values()) {
      if (scope.word.equals(text.toLowerCase(Locale.ROOT))) {
        return scope;
      }
    }
    throw new ConfigException("invalid --scope '" + text + "': use one of "
        + Arrays.stream(values()).map(RepairScope::word).collect(Collectors.joining(", ")));
  }
}
