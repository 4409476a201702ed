package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.plugin.Options.Option;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/** What replay and reset share: the resource's name and namespace, and printing it (-o) or creating it. */
final class Manifests {

  static final String NAME = "--name";
  static final String OUTPUT = "--output";
  static final String PIPELINE = "--pipeline";
  static final String PROJECTION = "--projection";
  static final String DRY_RUN = "--dry-run";

  static final Option NAME_OPTION = Option.value(NAME, "NAME", "the resource's name (default: generated)");
  static final Option OUTPUT_OPTION = Option.value(OUTPUT, "FORMAT",
      "yaml or json: print the resource instead of creating it (for GitOps)").withAlias("-o");

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private Manifests() {
  }

  /** --name, or PREFIX-SUBJECT-yyyyMMdd-HHmmss (UTC). */
  private static String name(Options options, String prefix, String subject, Clock clock) {
    return options.value(NAME, prefix + "-" + subject + "-"
        + STAMP.format(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
  }

  /** Prints the resource (-o yaml|json) or creates it after checking that what it names exists. */
  private static int emit(Invocation invocation, HasMetadata resource, String plural, String shortName, String next)
      throws PluginException {
    String format = invocation.options().value(OUTPUT);
    if ("yaml".equals(format)) {
      invocation.out().print(Json.yaml(resource));
      return ExitCode.OK;
    }
    if ("json".equals(format)) {
      invocation.out().println(Json.pretty(resource));
      return ExitCode.OK;
    }
    if (format != null) {
      throw PluginException.usage("-o must be yaml or json, not " + format);
    }
    KubernetesClient client = invocation.client();
    String namespace = resource.getMetadata().getNamespace();
    Kube.run("create", plural + ".reducer.io", namespace,
        () -> client.resource(resource).inNamespace(namespace).create());
    invocation.out().println(plural.substring(0, plural.length() - 1) + ".reducer.io/"
        + resource.getMetadata().getName() + " created\n" + next.replace("NAMESPACE", namespace).replace("NAME",
        shortName + "/" + resource.getMetadata().getName()));
    return ExitCode.OK;
  }

  /** Refuses to create a resource for a pipeline or projection that does not exist (not when only printing). */
  private static void requireTarget(Invocation invocation, String namespace, boolean pipeline, String name)
      throws PluginException {
    if (invocation.options().has(OUTPUT)) {
      return;
    }
    KubernetesClient client = invocation.client();
    Class<? extends HasMetadata> kind = pipeline ? ReducerPipeline.class : Projection.class;
    HasMetadata found = Kube.call("get", (pipeline ? "reducerpipelines" : "projections") + ".reducer.io", namespace,
        () -> client.resources(kind).inNamespace(namespace).withName(name).get());
    if (found == null) {
      throw pipeline ? Kube.notFound("ReducerPipeline", name, namespace, "kubectl get rp")
          : Kube.notFound("Projection", name, namespace, "kubectl get proj");
    }
  }

  /**
   * A time as the API wants it (RFC 3339): kept as written when it has a zone, else read as UTC the way
   * kafka-consumer-groups --to-datetime reads 2025-10-21T12:00:00.000.
   */
  static String timestamp(String text, String flag) throws PluginException {
    try {
      OffsetDateTime.parse(text);
      return text;
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toString();
      } catch (DateTimeParseException again) {
        throw PluginException.usage(flag + " must be a time such as 2025-10-21T12:00:00Z (RFC 3339; without a zone: "
            + "UTC), not " + text);
      }
    }
  }

  /** What a replay or a reset is of: the pipeline (--pipeline) or a projection (--projection). */
  record Subject(boolean pipeline, String name) {

    /** Hands the reference to the spec's pipelineRef or projectionRef setter. */
    void refer(Consumer<LocalReference> pipelineRef, Consumer<LocalReference> projectionRef) {
      (pipeline ? pipelineRef : projectionRef).accept(new LocalReference(name));
    }
  }

  /** Exactly one of --pipeline and --projection, and no arguments besides the flags. */
  static Subject subject(Options options, String command) throws PluginException {
    if (!options.positional().isEmpty()) {
      throw PluginException.usage(command + " takes no arguments, only flags: " + options.positional());
    }
    if (options.has(PIPELINE) == options.has(PROJECTION)) {
      throw PluginException.usage("give exactly one of --pipeline and --projection");
    }
    return options.has(PIPELINE) ? new Subject(true, options.value(PIPELINE))
        : new Subject(false, options.value(PROJECTION));
  }

  /** Automatic with {@code automatic}, else Manual; both at once is refused. */
  static Approval approval(Options options, String automatic, String... manual) throws PluginException {
    if (options.has(automatic) && Arrays.stream(manual).anyMatch(options::has)) {
      throw PluginException.usage(automatic + " goes on without approval, " + String.join(" and ", manual)
          + " wait for it: give one");
    }
    return options.has(automatic) ? Approval.Automatic : Approval.Manual;
  }

  /**
   * Names the resource (--name or generated) in the namespace, then prints it (-o) or creates it once what it is of
   * exists; {@code next} says what to do then (NAME and NAMESPACE are filled in).
   */
  static int createOrPrint(Invocation invocation, CustomResource<?, ?> resource, String prefix, Subject subject,
      String plural, String shortName, String next) throws PluginException {
    String namespace = invocation.namespace();
    resource.setMetadata(new ObjectMetaBuilder().withNamespace(namespace)
        .withName(name(invocation.options(), prefix, subject.name(), invocation.clock())).build());
    requireTarget(invocation, namespace, subject.pipeline(), subject.name());
    return emit(invocation, resource, plural, shortName, next);
  }
}
