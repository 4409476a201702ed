package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.reset.RepairJob;
import io.reducer.plugin.Options.Option;
import io.reducer.workloads.ExitCodes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * kubectl reducer repair proj/NAME: runs {@code workloads repair} as a Job with the pipeline's database login, so a
 * projection's rows behind the canonical store are rewritten in place; asks first, since it writes the table.
 */
final class RepairCommand extends Command {

  static final String COMPONENT = "repair";
  static final String SCOPE = "--scope";
  static final String KEY = "--key";
  static final String YES = "--yes";
  static final String IMAGE = "--image";
  static final String TIMEOUT = "--timeout";
  private static final List<String> PROJECTION_KINDS = List.of("proj", "projection", "projections",
      "projection.reducer.io", "projections.reducer.io");

  RepairCommand() {
    super("repair", "rewrite a projection's rows that are behind workflow_state, in place (runs a Job)",
        "kubectl reducer repair proj/NAME [--scope stale|all] [--key KEY] [--yes] [--image IMAGE] [--timeout 30m]",
        """
            The runbooks' rebuild from the canonical store (rebuild_projection, reconcile_projections), run inside
            the cluster: a Job in the projection's namespace, owned by its pipeline, with the pipeline's database
            login, running workloads repair on the projection's table. It writes a row only when workflow_state
            holds a newer version (--scope stale, the default) or not an older one (--scope all), so the
            materializers keep running and no row ever moves back; watermarks and offsets are not touched.
            It prints what it will do (with status.staleRows) and asks; --yes does not ask.
            Needs create, get and delete on jobs, list on pods and get on pods/log in the namespace.

            exit codes: the repair's own: 0 done, 1 failed (the pages before the failure stay written; run it
            again), 2 bad flags, a missing table or no workloads image known (pass --image); 3 the projection or
            its pipeline does not exist; 4 forbidden; 8 not confirmed.
            """);
  }

  @Override
  List<Option> options() {
    return List.of(
        Option.value(SCOPE, "SCOPE", "stale (default): rows behind workflow_state or missing; all: also rows at the "
            + "same version"),
        Option.value(KEY, "KEY", "repair only this workflow key"),
        Option.flag(YES, "repair without asking (what it will do is still printed)").withAlias("-y"),
        Option.value(IMAGE, "IMAGE", "the workloads image (default: the operator Deployment's WORKLOADS_IMAGE)"),
        Option.value(TIMEOUT, "DURATION", "give up (and delete the Job) after this long (default 30m)"));
  }

  @Override
  int run(Invocation invocation) throws PluginException {
    Options options = invocation.options();
    List<String> args = options.positional();
    String name;
    if (args.size() == 1 && args.get(0).contains("/")) {
      kind(args.get(0).substring(0, args.get(0).indexOf('/')));
      name = args.get(0).substring(args.get(0).indexOf('/') + 1);
    } else if (args.size() == 2) {
      kind(args.get(0));
      name = args.get(1);
    } else {
      throw PluginException.usage("repair takes one projection: proj/NAME");
    }
    String scope = scope(options);
    String key = options.value(KEY, null);
    Duration timeout = Parsing.duration(options.value(TIMEOUT, "30m"), TIMEOUT);

    KubernetesClient client = invocation.client();
    String namespace = invocation.namespace();
    Projection projection = Kube.call("get", "projections.reducer.io", namespace,
        () -> client.resources(Projection.class).inNamespace(namespace).withName(name).get());
    if (projection == null) {
      throw Kube.notFound("Projection", name, namespace, "kubectl get proj");
    }
    String pipelineName = projection.getSpec().getPipelineRef().getName();
    ReducerPipeline pipeline = Kube.call("get", "reducerpipelines.reducer.io", namespace,
        () -> client.resources(ReducerPipeline.class).inNamespace(namespace).withName(pipelineName).get());
    if (pipeline == null) {
      throw Kube.notFound("ReducerPipeline", pipelineName, namespace, "kubectl get rp");
    }
    String image = PluginJob.image(invocation, client, namespace, IMAGE);
    String schema = pipeline.getSpec().getPostgres().getSchema();
    invocation.out().print(summary(projection, schema, scope, key));
    if (!options.has(YES)) {
      invocation.out().print("\nRepair proj/" + name + " in namespace " + namespace + "? Type yes to repair: ");
      invocation.out().flush();
      String answer = invocation.readLine();
      if (answer == null || !List.of("yes", "y").contains(answer.trim().toLowerCase(Locale.ROOT))) {
        invocation.out().println();
        throw new PluginException(ExitCode.DECLINED, "not repaired: nothing was written to "
            + projection.getSpec().getTable());
      }
    }
    Job job = PluginJob.build(pipeline, PluginJob.name(pipeline, COMPONENT), COMPONENT, image,
        args(pipeline, projection.getSpec().getTable(), scope, key), timeout);
    PluginJob.Ended end = PluginJob.run(invocation, client, namespace, job, timeout, "repair",
        "Try a longer --timeout; what was written stays, and running it again finishes the job");
    invocation.out().print(end.log());
    if (!end.log().isEmpty() && !end.log().endsWith("\n")) {
      invocation.out().println();
    }
    if (end.exitCode() != ExitCodes.OK) {
      invocation.err().println("error: the repair Job " + job.getMetadata().getName() + " ended with exit code "
          + end.exitCode() + (end.reason() == null ? "" : " (" + end.reason() + ")"));
    }
    return end.exitCode();
  }

  /** The command line of {@code workloads repair} for the projection's table in the pipeline's database. */
  /** --scope, lower case: stale (the default) or all. */
  static String scope(Options options) throws PluginException {
    String scope = options.value(SCOPE, "stale").toLowerCase(Locale.ROOT);
    if (!scope.equals("stale") && !scope.equals("all")) {
      throw PluginException.usage(SCOPE + " must be stale or all, not " + scope);
    }
    return scope;
  }

  static List<String> args(ReducerPipeline pipeline, String table, String scope, String key) {
    return RepairJob.args(pipeline, table, scope, key);
  }

  static String summary(Projection projection, String schema, String scope, String key) {
    Long stale = projection.getStatus() == null ? null : projection.getStatus().getStaleRows();
    return "Projection " + projection.getMetadata().getNamespace() + "/" + projection.getMetadata().getName()
        + "   table " + schema + "." + projection.getSpec().getTable() + "\n\nREPAIR from " + schema
        + ".workflow_state, scope " + scope + (key == null ? "" : ", key " + key) + "\n"
        + "  rows behind workflow_state at the last probe (status.staleRows): " + Status.orUnknown(stale) + "\n"
        + "  a row is written only when the canonical version is " + (scope.equals("all") ? "not older" : "newer")
        + "; no row moves back, the materializers keep running, watermarks and offsets stay\n";
  }

  private static void kind(String kind) throws PluginException {
    if (!PROJECTION_KINDS.contains(kind.toLowerCase(Locale.ROOT))) {
      throw PluginException.usage("repair takes a Projection (proj/NAME), not " + kind);
    }
  }
}
