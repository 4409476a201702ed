package io.reducer.testsupport.kafka;

import java.nio.file.Path;

import io.reducer.testsupport.internal.ParentWatchdog;
import io.reducer.testsupport.internal.TempDirs;

/**
 * Entry point of the broker's child JVM: starts {@code kafka.Kafka} unchanged, plus a watchdog that ends the broker
 * and deletes its directory when the test JVM disappears.
 */
public final class BrokerMain {

  static final String PARENT_PID_PROPERTY = "reducer.kafka.parentPid";
  static final String CLEANUP_DIR_PROPERTY = "reducer.kafka.cleanupDir";

  private BrokerMain() {
  }

  public static void main(String[] args) {
    String parentPid = System.getProperty(PARENT_PID_PROPERTY);
    if (parentPid != null) {
      ParentWatchdog.start(Long.parseLong(parentPid), BrokerMain::deleteCleanupDir);
    }
    kafka.Kafka.main(args);
  }

  private static void deleteCleanupDir() {
    String dir = System.getProperty(CLEANUP_DIR_PROPERTY);
    if (dir != null) {
      TempDirs.deleteQuietly(Path.of(dir));
    }
  }
}
