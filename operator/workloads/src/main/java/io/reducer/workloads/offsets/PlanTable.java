package io.reducer.workloads.offsets;

import java.util.List;

/** The plan as the table a person reads before and after the change. */
final class PlanTable {

  private static final String ROW = "%9s %15s %15s %15s %15s%n";

  private PlanTable() {
  }

  static String render(ResetConfig config, List<PlannedPartition> plan, long currentEpoch, long newEpoch) {
    StringBuilder text = new StringBuilder();
    text.append("projection ").append(config.projection()).append(" (table ").append(config.schema()).append('.')
        .append(config.table()).append("), group ").append(config.group()).append(", topic ").append(config.topic())
        .append('\n');
    text.append("target ").append(config.target().describe()).append(", partitions ")
        .append(!config.partitions().isEmpty() ? config.partitions().toString()
            : config.target().type() == ResetTargetType.OFFSET ? "as listed" : "all").append('\n');
    text.append(String.format(ROW, "PARTITION", "CURRENT", "NEW", "LOG-START", "LOG-END"));
    for (PlannedPartition p : plan) {
      text.append(String.format(ROW, p.partition(), p.currentOffset() == null ? "-" : p.currentOffset(),
          p.newOffset(), p.logStartOffset(), p.logEndOffset()));
    }
    text.append("epoch ").append(currentEpoch).append(" -> ").append(newEpoch);
    if (config.rebuild()) {
      text.append("; rebuild: ").append(config.schema()).append('.').append(config.table())
          .append(" is truncated and rebuilt from the new offsets");
    }
    return text.append('\n').toString();
  }
}
