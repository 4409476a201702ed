package io.reducer.controller.probe;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.LocalReference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest probe of every projection. {@link #probeAll()} runs on the probe schedule and probes each pipeline
 * once for all its projections (pipelines in parallel); {@link #probeNow} serves a projection seen for the first
 * time so it need not wait for the next round.
 */
public final class ProbeCache {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeCache.class);

  private final PipelineProber prober;
  private final Function<ResourceID, Optional<ReducerPipeline>> pipelines;
  private final Supplier<List<Projection>> projections;
  private final ExecutorService executor;
  private final Clock clock;
  private final Map<ResourceID, ProjectionProbe> latest = new ConcurrentHashMap<>();

  public ProbeCache(PipelineProber prober, Function<ResourceID, Optional<ReducerPipeline>> pipelines,
      Supplier<List<Projection>> projections, ExecutorService executor, Clock clock) {
    this.prober = prober;
    this.pipelines = pipelines;
    this.projections = projections;
    this.executor = executor;
    this.clock = clock;
  }

  /** Probes every pipeline that has projections; the result maps each projection to its probe. */
  public Map<ResourceID, Set<ProjectionProbe>> probeAll() {
    Map<ResourceID, List<Projection>> byPipeline = new LinkedHashMap<>();
    for (Projection projection : projections.get()) {
      pipelineId(projection).ifPresent(id -> byPipeline.computeIfAbsent(id, k -> new ArrayList<>()).add(projection));
    }
    List<CompletableFuture<Void>> rounds = new ArrayList<>();
    byPipeline.forEach((id, members) -> pipelines.apply(id).ifPresent(pipeline ->
        rounds.add(CompletableFuture.runAsync(() -> probeInto(pipeline, members), executor))));
    rounds.forEach(CompletableFuture::join);
    Set<ResourceID> present = projections.get().stream().map(ResourceID::fromResource).collect(Collectors.toSet());
    latest.keySet().retainAll(present);
    Map<ResourceID, Set<ProjectionProbe>> result = new HashMap<>();
    latest.forEach((id, probe) -> result.put(id, Set.of(probe)));
    return result;
  }

  /** Probes one projection now and caches the result. */
  public ProjectionProbe probeNow(Projection projection, ReducerPipeline pipeline) {
    probeInto(pipeline, List.of(projection));
    return latest.get(ResourceID.fromResource(projection));
  }

  /** The latest probe, or empty before the first. */
  public Optional<ProjectionProbe> latest(Projection projection) {
    return Optional.ofNullable(latest.get(ResourceID.fromResource(projection)));
  }

  private void probeInto(ReducerPipeline pipeline, List<Projection> members) {
    String namespace = pipeline.getMetadata().getNamespace();
    Map<String, ProjectionProbe> probes;
    try {
      probes = prober.probe(pipeline, members, name -> latest.get(new ResourceID(name, namespace)), clock.instant());
    } catch (RuntimeException e) {
      // probeAll joins every pipeline's round: one unexpected failure must not freeze the health of all the others.
      LOG.warn("probing ReducerPipeline {}/{} failed", namespace, pipeline.getMetadata().getName(), e);
      probes = new LinkedHashMap<>();
      for (Projection member : members) {
        probes.put(member.getMetadata().getName(), ProjectionProbe.failed(ProbeFailureReason.ProbeFailed, "probing the pipeline's "
            + "projections failed: " + e, clock.instant()));
      }
    }
    probes.forEach((name, probe) -> latest.put(new ResourceID(name, namespace), probe));
  }

  /** The pipeline a projection names, when the reference stays in its namespace (others are refused elsewhere). */
  static Optional<ResourceID> pipelineId(Projection projection) {
    LocalReference reference = projection.getSpec().getPipelineRef();
    String namespace = projection.getMetadata().getNamespace();
    if (reference == null || reference.getName() == null
        || (reference.getNamespace() != null && !reference.getNamespace().equals(namespace))) {
      return Optional.empty();
    }
    return Optional.of(new ResourceID(reference.getName(), namespace));
  }
}
