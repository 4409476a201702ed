package io.reducer.testsupport.cluster;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The images the local cluster can run, each as a Java main class (see {@link ImageEntry}). A pod whose image is
 * not here stays Pending with {@code ErrImagePull}, as on a node that cannot pull it. Test infrastructure, see
 * {@link LocalKubelet}.
 */
public final class ImageCatalog {

  private final List<ImageEntry> entries;

  private ImageCatalog(List<ImageEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static ImageCatalog of(ImageEntry... entries) {
    return new ImageCatalog(List.of(entries));
  }

  /** The first entry that matches {@code image}. */
  public Optional<ImageEntry> find(String image) {
    return entries.stream().filter(entry -> entry.matches(image)).findFirst();
  }

  public List<ImageEntry> entries() {
    return entries;
  }

  /** What a pod with an image outside the catalog reports, like kubelet's pull failure. */
  String pullFailure(String image) {
    String known = entries.stream().map(ImageEntry::repository).collect(Collectors.joining(", "));
    return "Failed to pull image \"" + image + "\": the local cluster only runs the images in its catalog ("
        + (known.isEmpty() ? "none" : known) + ")";
  }
}
