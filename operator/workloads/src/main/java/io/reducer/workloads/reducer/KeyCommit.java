package io.reducer.workloads.reducer;

import java.util.List;

/**
 * The versions folded for one workflow key in one attempt, committed with one optimistic write: the row moves
 * from {@code expectedVersion} (0 = no row yet) to the last version only if nobody else moved it meanwhile.
 */
record KeyCommit(String workflowKey, long expectedVersion, List<VersionCommit> versions) {

  VersionCommit last() {
    return versions.get(versions.size() - 1);
  }
}
