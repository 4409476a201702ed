package io.reducer.testsupport.cluster;

import io.reducer.testsupport.internal.ParentWatchdog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of every pod's child JVM: starts a watchdog that ends the pod when the test JVM disappears (so a
 * killed test run leaves no pods behind), then runs the image's main class with the container's arguments,
 * unchanged. A Job's pod gets an exit gate ({@link LocalKubelet#holdJobPodExits}): while the gate file exists, the
 * JVM's exit waits in a shutdown hook, after the workload did all its work. Part of the local cluster, which is test
 * infrastructure.
 */
public final class PodMain {

  static final String PARENT_PID_PROPERTY = "reducer.localcluster.parentPid";
  static final String MAIN_CLASS_PROPERTY = "reducer.localcluster.mainClass";
  static final String EXIT_GATE_PROPERTY = "reducer.localcluster.exitGate";
  /** Printed when the exit waits at the gate: a test knows the process is there. */
  public static final String EXIT_HELD = "local cluster: exit held until the test releases it";

  private PodMain() {
  }

  public static void main(String[] args) throws Throwable {
    String parentPid = System.getProperty(PARENT_PID_PROPERTY);
    if (parentPid != null) {
      ParentWatchdog.start(Long.parseLong(parentPid), () -> { });
    }
    String gate = System.getProperty(EXIT_GATE_PROPERTY);
    if (gate != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> holdExit(Path.of(gate)), "local-cluster-exit-gate"));
    }
    Method main = Class.forName(System.getProperty(MAIN_CLASS_PROPERTY)).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      // The workload's own exception, so the JVM reports it and exits with 1 as if it were the main class.
      throw e.getCause();
    }
  }

  /** Waits while the gate exists; a SIGKILL ends the wait, as it ends any process. */
  private static void holdExit(Path gate) {
    if (!Files.exists(gate)) {
      return;
    }
    System.err.println(EXIT_HELD);
    System.err.flush();
    while (Files.exists(gate)) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
