package io.reducer.plugin;

/**
 * The exit codes of kubectl reducer (docs/kubectl-plugin.md). trace exits with the trace command's own code, whose 5
 * means that no record of the correlation id was found.
 */
public final class ExitCode {

  public static final int OK = 0;
  /** Something went wrong that the message explains: the API could not be reached, a Job failed, a timeout. */
  public static final int FAILED = 1;
  /** Wrong flags or arguments: the message says which, --help says what is accepted. */
  public static final int USAGE = 2;
  /** The pipeline, projection, replay or reset named does not exist in the namespace. */
  public static final int NOT_FOUND = 3;
  /** The API server refused a request (RBAC): the message names the verb and the resource. */
  public static final int FORBIDDEN = 4;
  /** approve: the replay or reset does not wait for an approval (automatic, approved, not there yet, finished). */
  public static final int NOTHING_TO_APPROVE = 6;
  /** status and approve: the operator does not run (its leader-election Lease is stale or absent). */
  public static final int OPERATOR_NOT_RUNNING = 7;
  /** approve: the question was answered with something else than yes. */
  public static final int DECLINED = 8;

  private ExitCode() {
  }
}
