package io.reducer.workloads.reducer;

import java.util.List;

/**
 * The versions folded for one workflow key in one attempt, committed with one optimistic write: the row moves
 * from {@code expectedVersion} (0 = no row yet) to the last version only if nobody else moved it meanwhile.
 * {@code expectedRemembered}: the expected version came from the {@link StateCache}, not from a read.
 */
record KeyCommit(String workflowKey, long expectedVersion, List<VersionCommit> versions, boolean expectedRemembered) {

  VersionCommit last() {
    return versions.get(versions.size() - 1);
  }
}
