package io.reducer.workloads.offsets;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A plan written out as {@code offsets reset} arguments that apply exactly it and are safe to repeat: explicit
 * offsets, the epoch it was planned against, and the epoch it leads to. A run that finds the database already at
 * that epoch and those offsets only moves the group's offsets again. This is how a reset Job should be started.
 */
public final class ExplicitPlan {

  private ExplicitPlan() {
  }

  /** {@code --target offset --offsets 0=120,1=340 --expected-epoch E --new-epoch E+1 [--rebuild]}. */
  public static List<String> arguments(List<PlannedPartition> plan, long currentEpoch, boolean rebuild) {
    List<String> arguments = new ArrayList<>(List.of(ResetOptions.TARGET.flag(), ResetTargetType.OFFSET.cliName(),
        ResetOptions.OFFSETS.flag(), offsets(plan),
        ResetOptions.EXPECTED_EPOCH.flag(), String.valueOf(currentEpoch),
        ResetOptions.NEW_EPOCH.flag(), String.valueOf(currentEpoch + 1)));
    if (rebuild) {
      arguments.add(ResetOptions.REBUILD.flag());
    }
    return arguments;
  }

  /** The value of --offsets (RESET_OFFSETS) for a plan, e.g. {@code 0=120,1=340}. */
  public static String offsets(List<PlannedPartition> plan) {
    if (plan.isEmpty()) {
      throw new IllegalArgumentException("an empty plan has no explicit form");
    }
    return plan.stream().map(p -> p.partition() + "=" + p.newOffset()).collect(Collectors.joining(","));
  }
}
