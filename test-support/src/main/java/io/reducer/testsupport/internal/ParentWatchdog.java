package io.reducer.testsupport.internal;

/**
 * Ends a child JVM when the test JVM that started it disappears. The test JVM's shutdown hooks cover a normal
 * exit; this covers a test JVM that was itself killed with SIGKILL (e.g. a Surefire fork timeout), where no hook
 * runs. Not part of the public test API.
 */
public final class ParentWatchdog {

  private static final long POLL_MILLIS = 500;

  private ParentWatchdog() {
  }

  /** Starts a daemon thread that runs {@code beforeHalt} and halts this JVM once its parent is gone. */
  public static void start(long parentPid, Runnable beforeHalt) {
    Thread watchdog = new Thread(() -> watch(parentPid, beforeHalt), "test-jvm-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void watch(long parentPid, Runnable beforeHalt) {
    while (true) {
      // Once the parent is gone the kernel re-parents this process, so the parent pid changes.
      long current = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
      if (current != parentPid) {
        beforeHalt.run();
        Runtime.getRuntime().halt(1);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
