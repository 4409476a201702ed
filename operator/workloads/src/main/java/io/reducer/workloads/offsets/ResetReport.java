package io.reducer.workloads.offsets;

/** How a run ended: the process exit code and the result written to the termination log. */
record ResetReport(int exitCode, ResetResult result) {
}
