package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.common.LocalReference;

/**
 * What a WatermarkReset resets: a projection (spec.projectionRef: watermarks, epoch and group offsets, by a Job) or a
 * pipeline's reducers (spec.pipelineRef: only the reducers' consumer group on the actions topic, by the operator).
 * The CRD admits exactly one of the two references.
 */
public enum ResetSubject {
  PROJECTION("Projection", "spec.projectionRef"),
  REDUCERS("ReducerPipeline", "spec.pipelineRef");

  private final String kind;
  private final String field;

  ResetSubject(String kind, String field) {
    this.kind = kind;
    this.field = field;
  }

  public static ResetSubject of(WatermarkResetSpec spec) {
    return spec.getPipelineRef() != null ? REDUCERS : PROJECTION;
  }

  public static ResetSubject of(WatermarkReset reset) {
    return of(reset.getSpec());
  }

  /** The reference this subject is named by in a spec; null when the spec names the other subject. */
  public LocalReference reference(WatermarkResetSpec spec) {
    return this == REDUCERS ? spec.getPipelineRef() : spec.getProjectionRef();
  }

  /** Kind of the resource that is held: Projection or ReducerPipeline. */
  public String kind() {
    return kind;
  }

  /** The spec field naming it, for messages. */
  public String field() {
    return field;
  }

  /** The held resource's name. */
  public static String targetName(WatermarkReset reset) {
    LocalReference reference = of(reset).reference(reset.getSpec());
    return reference == null ? "" : reference.getName();
  }

  /** Index key of the held resource: KIND/NAMESPACE/NAME. */
  public static String key(WatermarkReset reset) {
    return key(of(reset).kind, reset.getMetadata().getNamespace(), targetName(reset));
  }

  public static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }
}
