package io.reducer.testsupport.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageEntryTest {

  private final ImageEntry workloads = ImageEntry.of("reducer-workloads", "io.reducer.workloads.Main");

  @Test
  void matchesTheRepositoryWhateverTheRegistryTagOrDigest() {
    assertThat(workloads.matches("reducer-workloads")).isTrue();
    assertThat(workloads.matches("reducer-workloads:dev")).isTrue();
    assertThat(workloads.matches("ghcr.io/reducer-io/reducer-workloads:0.1.0")).isTrue();
    assertThat(workloads.matches("localhost:5000/reducer-workloads@sha256:0123abcd")).isTrue();
    assertThat(workloads.matches("registry:5000/acme/reducer-workloads:1.2@sha256:0123abcd")).isTrue();
  }

  @Test
  void doesNotMatchOtherRepositoriesEndingTheSameWay() {
    assertThat(workloads.matches("acme/not-reducer-workloads:1")).isFalse();
    assertThat(workloads.matches("reducer-workloads-debug:1")).isFalse();
    assertThat(workloads.matches("docker.io/library/nginx:1.27")).isFalse();
    assertThat(workloads.matches(null)).isFalse();
  }

  @Test
  void aPortInTheRegistryIsNotATag() {
    String repository = "localhost:5000/reducer-workloads";
    assertThat(ImageEntry.repositoryOf(repository)).isEqualTo(repository);
    assertThat(ImageEntry.repositoryOf(repository + ":7")).isEqualTo(repository);
  }

  @Test
  void catalogFindsTheFirstMatchAndNamesItsImagesWhenItCannotPull() {
    ImageCatalog catalog = ImageCatalog.of(workloads, ImageEntry.of("other", "x.Main"));
    assertThat(catalog.find("ghcr.io/x/other:1")).map(ImageEntry::mainClass).contains("x.Main");
    assertThat(catalog.find("nginx")).isEmpty();
    assertThat(catalog.pullFailure("nginx")).isEqualTo("Failed to pull image \"nginx\": the local cluster only runs"
        + " the images in its catalog (reducer-workloads, other)");
  }
}
