package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.plugin.Options.Option;
import io.reducer.workloads.ExitCodes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

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
    String image = PluginJob.image(invocation, client, namespace, IMAGE);
    String name = TraceJob.name(pipeline);
    String table = projectionTable(client, namespace, pipelineName, options.value(PROJECTION, null));
    Job job = TraceJob.build(pipeline, name, image, TraceJob.args(pipeline, correlationId, since, table, json),
        timeout);
    PluginJob.Ended end = PluginJob.run(invocation, client, namespace, job, timeout, "trace",
        "Try a longer --timeout or a shorter --since");
    print(invocation, end.log(), json);
    if (end.exitCode() != ExitCodes.OK && end.exitCode() != ExitCodes.NOT_FOUND) {
      invocation.err().println("error: the trace Job " + name + " ended with exit code " + end.exitCode()
          + (end.reason() == null ? "" : " (" + end.reason() + ")"));
    }
    return end.exitCode();
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
}
