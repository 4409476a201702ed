package io.reducer.testsupport.kafka;

import java.nio.file.Path;

import io.reducer.testsupport.internal.TempDirs;

/**
 * Entry point of the broker's child JVM: starts {@code kafka.Kafka} unchanged, plus a watchdog that ends the broker
 * when the test JVM disappears. The test JVM's shutdown hook covers a normal exit; the watchdog covers a test JVM
 * that was itself killed with SIGKILL (e.g. a Surefire fork timeout), where no hook runs.
 */
public final class BrokerMain {

  static final String PARENT_PID_PROPERTY = "reducer.kafka.parentPid";
  static final String CLEANUP_DIR_PROPERTY = "reducer.kafka.cleanupDir";

  private BrokerMain() {
  }

  public static void main(String[] args) {
    String parentPid = System.getProperty(PARENT_PID_PROPERTY);
    if (parentPid != null) {
      Thread watchdog = new Thread(() -> watchParent(Long.parseLong(parentPid)), "test-jvm-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    kafka.Kafka.main(args);
  }

  private static void watchParent(long parentPid) {
    while (true) {
      // Once the parent is gone the kernel re-parents this process, so the parent pid changes.
      long current = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
      if (current != parentPid) {
        String dir = System.getProperty(CLEANUP_DIR_PROPERTY);
        if (dir != null) {
          TempDirs.deleteQuietly(Path.of(dir));
        }
        Runtime.getRuntime().halt(1);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
