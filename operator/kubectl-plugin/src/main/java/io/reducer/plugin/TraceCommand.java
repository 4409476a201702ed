package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.plugin.Options.Option;
import io.reducer.workloads.ExitCodes;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * kubectl reducer trace CORRELATION_ID --pipeline P: runs {@code workloads trace} as a Job with the pipeline's
 * connections, prints its output, deletes the Job, and exits with the trace's exit code.
 */
final class TraceCommand extends Command {

  static final String PIPELINE = "--pipeline";
  static final String SINCE = "--since";
  static final String OUTPUT = "--output";
  static final String IMAGE = "--image";
  static final String TIMEOUT = "--timeout";
  static final String PROJECTION = "--projection";

  /** Pod states that do not get better by waiting. */
  private static final Set<String> HOPELESS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError");
  private static final Duration POLL = Duration.ofMillis(300);

  TraceCommand() {
    super("trace", "follow one correlation id through actions, state, state-committed and the DLQ (runs a Job)",
        "kubectl reducer trace CORRELATION_ID --pipeline P [--since 1h] [-o json] [--projection PROJ] [--image IMAGE]"
            + " [--timeout 5m]",
        """
            The runbooks' trace_event_flow.py --correlation-id ID, run inside the cluster: a Job in the pipeline's
            namespace, owned by the pipeline, with its Kafka settings (including SASL and TLS from its Secrets), its
            database login and its topics. The Job is deleted when the trace ends, on a timeout and on Ctrl-C.
            Needs create, get and delete on jobs, list on pods and get on pods/log in the namespace.

            exit codes: the trace's own: 0 records found, 5 no record of the correlation id; and 2 wrong flags or
            no workloads image known (pass --image); 3 the pipeline does not exist; 4 forbidden; 1 the Job failed
            to run or timed out.
            """);
  }

  @Override
  List<Option> options() {
    return List.of(
        Option.value(PIPELINE, "PIPELINE", "the ReducerPipeline whose topics and database are searched (required)"),
        Option.value(SINCE, "DURATION", "how far back to search the topics, e.g. 30m, 1h, 2d (default 1h)"),
        Option.value(OUTPUT, "FORMAT", "text (default) or json: one JSON document on stdout").withAlias("-o"),
        Option.value(IMAGE, "IMAGE", "the workloads image (default: the operator Deployment's WORKLOADS_IMAGE)"),
        Option.value(TIMEOUT, "DURATION", "give up (and delete the Job) after this long (default 5m)"),
        Option.value(PROJECTION, "PROJECTION", "the Projection whose table says whether a version was materialized "
            + "(default: the pipeline's first Projection by name)"));
  }

  @Override
  int run(Invocation invocation) throws PluginException {
    Options options = invocation.options();
    if (options.positional().size() != 1) {
      throw PluginException.usage("trace takes one CORRELATION_ID");
    }
    if (!options.has(PIPELINE)) {
      throw PluginException.usage("trace needs --pipeline: the pipeline whose topics are searched");
    }
    String format = options.value(OUTPUT, "text");
    if (!format.equals("text") && !format.equals("json")) {
      throw PluginException.usage("-o must be text or json, not " + format);
    }
    String since = options.value(SINCE, "1h");
    Parsing.duration(since, SINCE);
    Duration timeout = Parsing.duration(options.value(TIMEOUT, "5m"), TIMEOUT);
    String correlationId = options.positional().get(0);
    boolean json = format.equals("json");

    KubernetesClient client = invocation.client();
    String namespace = invocation.namespace();
    String pipelineName = options.value(PIPELINE);
    ReducerPipeline pipeline = Kube.call("get", "reducerpipelines.reducer.io", namespace,
        () -> client.resources(ReducerPipeline.class).inNamespace(namespace).withName(pipelineName).get());
    if (pipeline == null) {
      throw Kube.notFound("ReducerPipeline", pipelineName, namespace, "kubectl get rp");
    }
    String image = image(invocation, client, namespace);
    String name = TraceJob.name(pipeline);
    String table = projectionTable(client, namespace, pipelineName, options.value(PROJECTION, null));
    Job job = TraceJob.build(pipeline, name, image, TraceJob.args(pipeline, correlationId, since, table, json),
        timeout);
    Runnable cleanup = invocation.interrupts().register(() -> delete(client, namespace, name, invocation.err()));
    Kube.run("create", "jobs", namespace, () -> client.batch().v1().jobs().inNamespace(namespace).resource(job)
        .create());
    try {
      Pod pod = awaitEnd(client, namespace, name, Instant.now().plus(timeout), timeout);
      ContainerStateTerminated end = terminated(pod).orElseThrow();
      String log = Kube.call("get", "pods/log", namespace,
          () -> client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog());
      print(invocation, log == null ? "" : log, json);
      int code = end.getExitCode() == null ? ExitCode.FAILED : end.getExitCode();
      if (code != ExitCodes.OK && code != ExitCodes.NOT_FOUND) {
        invocation.err().println("error: the trace Job " + name + " ended with exit code " + code
            + (end.getReason() == null ? "" : " (" + end.getReason() + ")"));
      }
      return code;
    } finally {
      cleanup.run();
    }
  }

  /**
   * The table of the named Projection, else of the pipeline's first Projection by name; null when the pipeline has
   * none (the trace then checks its default table and says when that table does not exist).
   */
  private static String projectionTable(KubernetesClient client, String namespace, String pipeline, String named)
      throws PluginException {
    List<Projection> projections = Kube.call("list", "projections.reducer.io", namespace,
        () -> client.resources(Projection.class).inNamespace(namespace).list().getItems());
    if (named != null) {
      Projection projection = projections.stream().filter(p -> p.getMetadata().getName().equals(named)).findFirst()
          .orElseThrow(() -> Kube.notFound("Projection", named, namespace, "kubectl get proj"));
      return projection.getSpec().getTable();
    }
    return projections.stream()
        .filter(p -> p.getSpec().getPipelineRef() != null && pipeline.equals(p.getSpec().getPipelineRef().getName()))
        .min(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(p -> p.getSpec().getTable()).orElse(null);
  }

  private static String image(Invocation invocation, KubernetesClient client, String namespace)
      throws PluginException {
    String image = invocation.options().value(IMAGE);
    if (image != null) {
      return image;
    }
    return OperatorLookup.find(client, invocation.clock(), namespace).workloadsImage().orElseThrow(() ->
        PluginException.usage("the workloads image is unknown: no operator Deployment (label "
            + OperatorLookup.DEPLOYMENT_LABEL + "=" + OperatorLookup.DEPLOYMENT_LABEL_VALUE + ") found in the "
            + "namespaces you may list; pass --image REGISTRY/reducer-workloads:TAG"));
  }

  /** Waits until the Job's pod has ended; fails on a pod that cannot start, a failed Job, or the deadline. */
  private static Pod awaitEnd(KubernetesClient client, String namespace, String job, Instant deadline,
      Duration timeout) throws PluginException {
    String lastState = "no pod yet";
    while (Instant.now().isBefore(deadline)) {
      List<Pod> pods = Kube.call("list", "pods", namespace, () -> client.pods().inNamespace(namespace)
          .withLabel("job-name", job).list().getItems());
      Optional<Pod> ended = pods.stream().filter(p -> terminated(p).isPresent())
          .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
              : p.getMetadata().getCreationTimestamp()));
      if (ended.isPresent()) {
        return ended.get();
      }
      for (Pod pod : pods) {
        Optional<ContainerStateWaiting> waiting = container(pod).map(c -> c.getState() == null ? null
            : c.getState().getWaiting());
        if (waiting.isPresent()) {
          lastState = "pod " + pod.getMetadata().getName() + " waiting: " + waiting.get().getReason()
              + (waiting.get().getMessage() == null ? "" : ": " + waiting.get().getMessage());
          if (HOPELESS.contains(waiting.get().getReason())) {
            throw new PluginException(ExitCode.FAILED, "the trace Job " + job + " cannot start: " + lastState);
          }
        } else if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
          lastState = "pod " + pod.getMetadata().getName() + " " + pod.getStatus().getPhase();
        }
      }
      Job current = Kube.call("get", "jobs", namespace, () -> client.batch().v1().jobs().inNamespace(namespace)
          .withName(job).get());
      if (current == null) {
        throw new PluginException(ExitCode.FAILED, "the trace Job " + job + " was deleted before it ended");
      }
      Optional<JobCondition> failed = current.getStatus() == null ? Optional.empty() : current.getStatus()
          .getConditions().stream().filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
          .findFirst();
      if (failed.isPresent() && pods.isEmpty()) {
        throw new PluginException(ExitCode.FAILED, "the trace Job " + job + " failed: " + failed.get().getReason()
            + (failed.get().getMessage() == null ? "" : ": " + failed.get().getMessage()));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PluginException(ExitCode.FAILED, "interrupted; the trace Job " + job + " is deleted");
      }
    }
    throw new PluginException(ExitCode.FAILED, "the trace did not end within " + timeout + " (" + lastState
        + "); the Job " + job + " is deleted. Try a longer --timeout or a shorter --since");
  }

  private static Optional<ContainerStatus> container(Pod pod) {
    return pod.getStatus() == null ? Optional.empty() : pod.getStatus().getContainerStatuses().stream().findFirst();
  }

  private static Optional<ContainerStateTerminated> terminated(Pod pod) {
    return container(pod).map(c -> c.getState() == null ? null : c.getState().getTerminated());
  }

  /** Text as the trace printed it; with -o json the JSON document on stdout and anything around it on stderr. */
  static void print(Invocation invocation, String log, boolean json) {
    if (!json) {
      invocation.out().print(log);
      if (!log.isEmpty() && !log.endsWith("\n")) {
        invocation.out().println();
      }
      return;
    }
    String[] lines = log.split("\n", -1);
    for (int start = 0; start < lines.length; start++) {
      String first = lines[start].stripLeading();
      if (first.startsWith("{") || first.startsWith("[")) {
        for (int end = lines.length; end > start; end--) {
          String candidate = String.join("\n", java.util.Arrays.copyOfRange(lines, start, end));
          if (Json.isJson(candidate)) {
            for (int i = 0; i < lines.length; i++) {
              if ((i < start || i >= end) && !lines[i].isBlank()) {
                invocation.err().println(lines[i]);
              }
            }
            invocation.out().println(candidate.strip());
            return;
          }
        }
      }
    }
    invocation.err().print(log);
    invocation.err().println("error: the trace printed no JSON document");
  }

  private static void delete(KubernetesClient client, String namespace, String job, java.io.PrintStream err) {
    try {
      client.batch().v1().jobs().inNamespace(namespace).withName(job)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    } catch (KubernetesClientException e) {
      err.println("warning: could not delete the trace Job " + job + " (" + e.getCode() + "); delete it "
          + "with: kubectl delete job " + job + " -n " + namespace);
    }
  }
}
