package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a container's probes on their own threads and hands each result to the worker. HTTP GET and TCP probes go
 * to 127.0.0.1 on the pod's local port; exec and gRPC probes are not run and count as passing. Period and initial
 * delay are capped by the cluster's probe period, so a template's 10 s becomes e.g. 1 s.
 */
final class ProbeRunner {

  /** Receives a probe result on the worker thread. */
  interface Results {
    void onProbe(String podUid, long runSerial, ProbeKind kind, boolean success);
  }

  private final ScheduledExecutorService probes =
      new ScheduledThreadPoolExecutor(2, Worker.daemon("local-kubelet-probe"));
  private final Worker worker;
  private final Results results;
  private final Duration periodCap;

  ProbeRunner(Worker worker, Results results, Duration periodCap) {
    this.worker = worker;
    this.results = results;
    this.periodCap = periodCap;
  }

  void start(PodRuntime runtime, ContainerRun run) {
    Container container = runtime.container();
    for (ProbeKind kind : ProbeKind.values()) {
      Probe probe = kind.of(container);
      if (probe == null) {
        continue;
      }
      int port = probe.getHttpGet() != null ? runtime.localPort(probe.getHttpGet().getPort())
          : probe.getTcpSocket() != null ? runtime.localPort(probe.getTcpSocket().getPort()) : -1;
      long period = Math.min(millis(probe.getPeriodSeconds(), 10), periodCap.toMillis());
      long delay = Math.min(millis(probe.getInitialDelaySeconds(), 0), periodCap.toMillis());
      String uid = runtime.uid;
      Runnable check = () -> {
        boolean success = check(probe, port);
        worker.execute(() -> results.onProbe(uid, run.serial, kind, success));
      };
      run.probes.add(probes.scheduleWithFixedDelay(check, delay, Math.max(1, period), TimeUnit.MILLISECONDS));
    }
  }

  void shutdown() {
    probes.shutdownNow();
  }

  static boolean check(Probe probe, int port) {
    int timeout = (int) millis(probe.getTimeoutSeconds(), 1);
    try {
      if (probe.getHttpGet() != null) {
        return httpGet(probe.getHttpGet(), port, timeout);
      }
      if (probe.getTcpSocket() != null) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(ContainerEnv.POD_IP, port), timeout);
          return true;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean httpGet(HTTPGetAction action, int port, int timeout) throws IOException {
    String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://" + ContainerEnv.POD_IP + ":" + port + path).openConnection();
    try {
      connection.setConnectTimeout(timeout);
      connection.setReadTimeout(timeout);
      connection.setInstanceFollowRedirects(false);
      int code = connection.getResponseCode();
      return code >= 200 && code < 400;
    } finally {
      connection.disconnect();
    }
  }

  /** Milliseconds of a probe's seconds field, with Kubernetes' default when unset. */
  private static long millis(Integer seconds, int defaultSeconds) {
    return 1000L * (seconds == null ? defaultSeconds : seconds);
  }
}
