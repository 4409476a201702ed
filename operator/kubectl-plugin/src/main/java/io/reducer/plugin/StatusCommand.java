package io.reducer.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.plugin.Options.Option;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kubectl reducer status [PIPELINE]: one screen per pipeline. */
final class StatusCommand extends Command {

  static final String OUTPUT = "--output";
  static final String EVENTS = "--events";

  StatusCommand() {
    super("status", "show pipelines: conditions, topics, reducers, health, projections, replays and resets, warnings",
        "kubectl reducer status [PIPELINE] [-n NAMESPACE] [-o text|json] [--events N]",
        """
            Without PIPELINE, every ReducerPipeline of the namespace. A figure that could not be measured shows as
            unknown, never 0. The operator's leader-election Lease says whether it runs; when it is stale or absent
            the screen starts with a warning.

            exit codes: 0 shown; 3 the pipeline does not exist; 4 forbidden; 7 shown, but the operator is not
            running (its Lease is stale or absent); 1 other failures.
            """);
  }

  @Override
  List<Option> options() {
    return List.of(Option.value(OUTPUT, "FORMAT", "text (default) or json: the resources as the API returns them")
            .withAlias("-o"),
        Option.value(EVENTS, "N", "recent warning Events shown per pipeline (default 5)"));
  }

  @Override
  int run(Invocation invocation) throws PluginException {
    Options options = invocation.options();
    String format = options.value(OUTPUT, "text");
    if (!format.equals("text") && !format.equals("json")) {
      throw PluginException.usage("-o must be text or json, not " + format);
    }
    int events = Parsing.integer(options.value(EVENTS, "5"), EVENTS, 0, 1000);
    if (options.positional().size() > 1) {
      throw PluginException.usage("status takes at most one pipeline name, not " + options.positional());
    }
    KubernetesClient client = invocation.client();
    String namespace = invocation.namespace();
    List<ReducerPipeline> pipelines;
    if (options.positional().isEmpty()) {
      pipelines = NamespaceSnapshot.list(client, ReducerPipeline.class, "reducerpipelines", namespace);
    } else {
      String name = options.positional().get(0);
      ReducerPipeline pipeline = Kube.call("get", "reducerpipelines.reducer.io", namespace,
          () -> client.resources(ReducerPipeline.class).inNamespace(namespace).withName(name).get());
      if (pipeline == null) {
        throw Kube.notFound("ReducerPipeline", name, namespace, "kubectl get rp");
      }
      pipelines = List.of(pipeline);
    }
    NamespaceSnapshot snapshot = NamespaceSnapshot.read(client, namespace, pipelines);
    OperatorLookup.Found operator = OperatorLookup.find(client, invocation.clock(), namespace);
    if (format.equals("json")) {
      invocation.out().println(json(snapshot, operator, events));
    } else {
      if (operator.lease().notRunning()) {
        invocation.out().println(wrapped("WARNING: operator " + operator.lease().describe(invocation.clock())) + "\n");
      }
      if (pipelines.isEmpty()) {
        invocation.out().println("No ReducerPipelines found in namespace " + namespace + ".");
      }
      List<String> screens = new ArrayList<>();
      for (ReducerPipeline pipeline : pipelines) {
        screens.add(Status.pipeline(pipeline, snapshot, invocation.clock(), events));
      }
      invocation.out().print(String.join("\n" + "-".repeat(Table.WIDTH) + "\n\n", screens));
      if (!operator.lease().notRunning()) {
        invocation.out().println("\n" + wrapped("operator: " + operator.lease().describe(invocation.clock())));
      }
    }
    return operator.lease().notRunning() ? ExitCode.OPERATOR_NOT_RUNNING : ExitCode.OK;
  }

  private static String wrapped(String text) {
    return String.join("\n  ", Table.wrap(text, Table.WIDTH - 2));
  }

  private static String json(NamespaceSnapshot snapshot, OperatorLookup.Found operator, int events) {
    List<Map<String, Object>> pipelines = new ArrayList<>();
    for (ReducerPipeline pipeline : snapshot.pipelines()) {
      String name = pipeline.getMetadata().getName();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("pipeline", pipeline);
      entry.put("projections", snapshot.projectionsOf(name));
      entry.put("dlqReplays", snapshot.replaysOf(name));
      entry.put("watermarkResets", snapshot.resetsOf(name));
      entry.put("warningEvents", snapshot.warningsOf(snapshot.objectsOf(pipeline), events));
      pipelines.add(entry);
    }
    Map<String, Object> lease = new LinkedHashMap<>();
    lease.put("state", operator.lease().liveness().name());
    lease.put("name", operator.lease().name());
    lease.put("namespace", operator.lease().namespace());
    lease.put("holder", operator.lease().holder());
    lease.put("renewTime", operator.lease().renewed() == null ? null : operator.lease().renewed().toString());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("namespace", snapshot.namespace());
    document.put("operator", lease);
    document.put("pipelines", pipelines);
    return Json.pretty(document);
  }
}
