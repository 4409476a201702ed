package io.reducer.workloads.dlq;

import io.reducer.workloads.cli.ConfigException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The text form of a snapshot's end offsets, {@code 0=120,1=88}: how a person or the operator passes one in. */
final class SnapshotSpec {

  private SnapshotSpec() {
  }

  static Map<Integer, Long> parse(String text) throws ConfigException {
    Map<Integer, Long> ends = new TreeMap<>();
    for (String entry : text.split(",")) {
      String[] parts = entry.trim().split("=");
      if (parts.length != 2) {
        throw new ConfigException("invalid --snapshot entry '" + entry.trim()
            + "': use partition=endOffset pairs separated by commas, e.g. 0=120,1=88");
      }
      int partition;
      long end;
      try {
        partition = Integer.parseInt(parts[0].trim());
        end = Long.parseLong(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new ConfigException("invalid --snapshot entry '" + entry.trim()
            + "': partition and end offset must be numbers, e.g. 0=120");
      }
      if (partition < 0 || end < 0) {
        throw new ConfigException("invalid --snapshot entry '" + entry.trim() + "': numbers cannot be negative");
      }
      if (ends.put(partition, end) != null) {
        throw new ConfigException("--snapshot names partition " + partition + " twice");
      }
    }
    return ends;
  }

  static String format(Map<Integer, Long> ends) {
    return new TreeMap<>(ends).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
