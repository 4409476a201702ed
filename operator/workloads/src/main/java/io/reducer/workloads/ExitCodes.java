package io.reducer.workloads;

/** Process exit codes of the workloads CLI; Kubernetes shows them as the container's termination reason. */
public final class ExitCodes {

  public static final int OK = 0;
  /** Unexpected failure; the pod restarts and resumes from the database. */
  public static final int FAILURE = 1;
  /** Bad configuration or an unreachable dependency at startup; restarting will not help until it is fixed. */
  public static final int BAD_CONFIGURATION = 2;
  /**
   * The watermark epoch changed under a running materializer (a reset happened); restart with the new epoch. For
   * dlq replay: another process of the same replay started and took over.
   */
  public static final int FENCED = 3;
  /** offsets reset: the consumer group still has members, so nothing was changed; stop them and run again. */
  public static final int GROUP_NOT_EMPTY = 4;
  /**
   * trace: no record and no row carries the correlation id within the time window. Not a failure of the command: a
   * script or the kubectl plugin tells "nothing there" from "looked and found" by it.
   */
  public static final int NOT_FOUND = 5;
  /**
   * offsets shadow cutover: not yet, nothing changed; the shadow is still behind the live watermarks or the cutover's
   * locks were not granted within the lock timeout. Run it again later.
   */
  public static final int NOT_READY = 6;

  private ExitCodes() {
  }
}
