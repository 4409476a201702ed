package io.reducer.controller.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the operator image: reads the configuration, starts the operator and its HTTP endpoints. */
public final class OperatorMain {

  private static final String VERSION_WARNINGS =
      "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private OperatorMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    // fabric8 warns once per kind that v1alpha1 is unstable: the operator's own API version is no news in its log.
    // Set before that logger exists; an explicit -D setting wins.
    System.setProperty(VERSION_WARNINGS, System.getProperty(VERSION_WARNINGS, "error"));
    List<String> arguments = Arrays.asList(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.println(OperatorConfig.usage());
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.parse(arguments, System.getenv(), serviceAccountNamespace());
    } catch (OperatorConfigException e) {
      System.err.println("reducer-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ReducerOperator operator = new ReducerOperator(client, config, registry, Clock.systemUTC());
    OperatorHttpServer http;
    try {
      http = new OperatorHttpServer(config.httpPort(), operator::ready, operator::fatalFailure, registry);
    } catch (IOException e) {
      System.err.println("reducer-operator: cannot listen on port " + config.httpPort() + " (" + e.getMessage()
          + "); set --http-port / HTTP_PORT to a free port");
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      http.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    LOG.info("watching {}; workloads image {}; probe interval {}", config.watchesAllNamespaces() ? "all namespaces"
        : config.watchedNamespaces(), config.workloadsImage(), config.probeInterval());
    // A failed informer leaves the operator blind to a kind of change: exit, so Kubernetes restarts it.
    operator.onFatalFailure(failure -> {
      LOG.error("exiting: {}", failure);
      System.exit(1);
    });
    operator.start();
    stopped.await();
  }

  private static String serviceAccountNamespace() {
    try {
      return Files.isReadable(SERVICE_ACCOUNT_NAMESPACE) ? Files.readString(SERVICE_ACCOUNT_NAMESPACE) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
