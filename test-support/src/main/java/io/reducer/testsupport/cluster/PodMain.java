package io.reducer.testsupport.cluster;

import io.reducer.testsupport.internal.ParentWatchdog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Entry point of every pod's child JVM: starts a watchdog that ends the pod when the test JVM disappears (so a
 * killed test run leaves no pods behind), then runs the image's main class with the container's arguments,
 * unchanged. Part of the local cluster, which is test infrastructure.
 */
public final class PodMain {

  static final String PARENT_PID_PROPERTY = "reducer.localcluster.parentPid";
  static final String MAIN_CLASS_PROPERTY = "reducer.localcluster.mainClass";

  private PodMain() {
  }

  public static void main(String[] args) throws Throwable {
    String parentPid = System.getProperty(PARENT_PID_PROPERTY);
    if (parentPid != null) {
      ParentWatchdog.start(Long.parseLong(parentPid), () -> { });
    }
    Method main = Class.forName(System.getProperty(MAIN_CLASS_PROPERTY)).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      // The workload's own exception, so the JVM reports it and exits with 1 as if it were the main class.
      throw e.getCause();
    }
  }
}
