package io.reducer.api.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;

/** The four custom resource classes, for tests that iterate over every kind. */
final class Kinds {

  static final List<Class<? extends CustomResource<?, ?>>> ALL =
      List.of(ReducerPipeline.class, Projection.class, DlqReplay.class, WatermarkReset.class);

  private Kinds() {
  }

  static Class<? extends CustomResource<?, ?>> byKind(String kind) {
    return ALL.stream().filter(c -> c.getSimpleName().equals(kind)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no custom resource class for kind " + kind));
  }
}
