package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.common.LocalReference;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The reducer.io resources and Events of one namespace, read once (one list per kind), grouped per pipeline. */
record NamespaceSnapshot(String namespace, List<ReducerPipeline> pipelines, List<Projection> projections,
    List<DlqReplay> replays, List<WatermarkReset> resets, List<Event> events, String eventsUnavailable) {

  static NamespaceSnapshot read(KubernetesClient client, String namespace, List<ReducerPipeline> pipelines)
      throws PluginException {
    List<Event> events = List.of();
    String eventsUnavailable = null;
    try {
      events = Kube.call("list", "events", namespace, () -> client.v1().events().inNamespace(namespace).list()
          .getItems());
    } catch (PluginException e) {
      // Events are the least of the screen: without them the rest is still worth showing.
      eventsUnavailable = e.getMessage();
    }
    return new NamespaceSnapshot(namespace, pipelines,
        list(client, Projection.class, "projections", namespace),
        list(client, DlqReplay.class, "dlqreplays", namespace),
        list(client, WatermarkReset.class, "watermarkresets", namespace), events, eventsUnavailable);
  }

  static <T extends HasMetadata> List<T> list(KubernetesClient client, Class<T> kind, String plural, String namespace)
      throws PluginException {
    List<T> items = Kube.call("list", plural + ".reducer.io", namespace,
        () -> client.resources(kind).inNamespace(namespace).list().getItems());
    return items.stream().sorted(Comparator.comparing(r -> r.getMetadata().getName())).toList();
  }

  /** The projections whose spec.pipelineRef names the pipeline. */
  List<Projection> projectionsOf(String pipeline) {
    return projections.stream().filter(p -> p.getSpec() != null && named(p.getSpec().getPipelineRef(), pipeline))
        .toList();
  }

  /** The replays of the pipeline's DLQ: by pipelineRef, or by projectionRef to one of its projections. */
  List<DlqReplay> replaysOf(String pipeline) {
    Set<String> projections = names(projectionsOf(pipeline));
    return replays.stream().filter(r -> r.getSpec() != null && (named(r.getSpec().getPipelineRef(), pipeline)
        || r.getSpec().getProjectionRef() != null && projections.contains(r.getSpec().getProjectionRef().getName())))
        .toList();
  }

  /** The resets of the pipeline's reducers (pipelineRef) and of its projections (projectionRef). */
  List<WatermarkReset> resetsOf(String pipeline) {
    Set<String> projections = names(projectionsOf(pipeline));
    return resets.stream().filter(r -> r.getSpec() != null && (named(r.getSpec().getPipelineRef(), pipeline)
        || r.getSpec().getProjectionRef() != null && projections.contains(r.getSpec().getProjectionRef().getName())))
        .toList();
  }

  /** The pipeline and everything of it: its projections, replays and resets. */
  List<HasMetadata> objectsOf(ReducerPipeline pipeline) {
    String name = pipeline.getMetadata().getName();
    List<HasMetadata> objects = new java.util.ArrayList<>();
    objects.add(pipeline);
    objects.addAll(projectionsOf(name));
    objects.addAll(replaysOf(name));
    objects.addAll(resetsOf(name));
    return objects;
  }

  /** Warning Events of these objects, newest first, at most {@code limit}. */
  List<Event> warningsOf(List<? extends HasMetadata> objects, int limit) {
    Set<String> keys = new HashSet<>();
    objects.forEach(o -> keys.add(o.getKind() + "/" + o.getMetadata().getName()));
    return events.stream().filter(e -> "Warning".equals(e.getType()) && e.getInvolvedObject() != null
            && keys.contains(e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(NamespaceSnapshot::time, Comparator.nullsLast(Comparator.reverseOrder())))
        .limit(limit).toList();
  }

  /** When an Event last happened: lastTimestamp, eventTime, firstTimestamp or its creation. */
  static Instant time(Event event) {
    for (String candidate : new String[] {event.getLastTimestamp(),
        event.getEventTime() == null ? null : event.getEventTime().getTime(), event.getFirstTimestamp(),
        event.getMetadata() == null ? null : event.getMetadata().getCreationTimestamp()}) {
      Instant parsed = Ages.parse(candidate);
      if (parsed != null) {
        return parsed;
      }
    }
    return null;
  }

  private static boolean named(LocalReference reference, String name) {
    return reference != null && name.equals(reference.getName());
  }

  private static Set<String> names(List<? extends HasMetadata> objects) {
    return new HashSet<>(objects.stream().map(o -> o.getMetadata().getName()).toList());
  }

  static <T> String orUnknown(T value, Function<T, String> format) {
    return value == null ? Status.UNKNOWN : format.apply(value);
  }
}
