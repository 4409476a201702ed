package io.reducer.controller.workload;

import java.util.List;
import java.util.Optional;

/**
 * Which images the operator runs. A custom resource may only name an image from a registry the operator's
 * configuration allows; otherwise the operator's own workloads image is used.
 */
public final class ImagePolicy {

  private final String workloadsImage;
  private final List<String> allowedRegistries;

  /** @param allowedRegistries registry prefixes such as registry.example.com/team/; empty allows none */
  public ImagePolicy(String workloadsImage, List<String> allowedRegistries) {
    this.workloadsImage = workloadsImage;
    this.allowedRegistries = List.copyOf(allowedRegistries);
  }

  public String workloadsImage() {
    return workloadsImage;
  }

  /** The image to run for a requested one (null: the default), or empty when the request is not allowed. */
  public Optional<String> resolve(String requested) {
    if (requested == null || requested.isEmpty() || requested.equals(workloadsImage)) {
      return Optional.of(workloadsImage);
    }
    return allowedRegistries.stream().anyMatch(prefix -> requested.startsWith(withSlash(prefix)))
        ? Optional.of(requested) : Optional.empty();
  }

  /** Says why an image was refused and what to change. */
  public String refusal(String requested, String field) {
    return field + " " + requested + " is not from a registry this operator allows ("
        + (allowedRegistries.isEmpty() ? "none configured" : String.join(", ", allowedRegistries))
        + "); remove it to use " + workloadsImage + " or ask the operator's administrator to allow its registry";
  }

  // "registry.example.com" must not admit "registry.example.com.evil.io/x".
  private static String withSlash(String prefix) {
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }
}
