package io.reducer.testsupport.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the local cluster runs one image: as a Java main class in a child JVM, standing in for the container. Test
 * infrastructure, see {@link LocalKubelet}.
 *
 * <p>An entry matches every image whose repository (the reference without tag and digest) is {@code repository}
 * or ends with {@code "/" + repository}: {@code reducer-workloads} matches {@code reducer-workloads:dev} and
 * {@code ghcr.io/acme/reducer-workloads@sha256:...}. The container's {@code args} follow the main class, as they
 * follow an image's entrypoint.
 *
 * @param repository  the repository to match, e.g. {@code reducer-workloads}
 * @param mainClass   the entrypoint
 * @param classpath   the child JVM's classpath; {@code null} for the test JVM's own {@code java.class.path}
 * @param jvmOptions  the child JVM's options; {@link #DEFAULT_JVM_OPTIONS} unless replaced
 * @param portEnv     for a named container port, the environment variables that tell the process which port to
 *                    listen on (one per command of the image that reads its own); the local cluster sets them to
 *                    the free local port it gave that container port
 */
public record ImageEntry(String repository, String mainClass, String classpath, List<String> jvmOptions,
    Map<String, List<String>> portEnv) {

  /** Small and quick to start: a test workload lives for seconds and holds little data. */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");

  public ImageEntry {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(mainClass, "mainClass");
    jvmOptions = List.copyOf(jvmOptions);
    portEnv = Map.copyOf(portEnv);
  }

  /** Runs {@code mainClass} on the test JVM's classpath with the default JVM options and no port variables. */
  public static ImageEntry of(String repository, String mainClass) {
    return new ImageEntry(repository, mainClass, null, DEFAULT_JVM_OPTIONS, Map.of());
  }

  public ImageEntry withClasspath(String newClasspath) {
    return new ImageEntry(repository, mainClass, newClasspath, jvmOptions, portEnv);
  }

  public ImageEntry withJvmOptions(List<String> options) {
    return new ImageEntry(repository, mainClass, classpath, options, portEnv);
  }

  /** Container port {@code portName} is announced to the process in each of {@code variables}. */
  public ImageEntry withPortEnv(String portName, String... variables) {
    Map<String, List<String>> ports = new LinkedHashMap<>(portEnv);
    ports.put(portName, List.of(variables));
    return new ImageEntry(repository, mainClass, classpath, jvmOptions, ports);
  }

  public boolean matches(String image) {
    String candidate = repositoryOf(image);
    return candidate.equals(repository) || candidate.endsWith("/" + repository);
  }

  /** The image reference without digest and tag; a port in the registry host is not a tag. */
  static String repositoryOf(String image) {
    String reference = image == null ? "" : image;
    int digest = reference.indexOf('@');
    if (digest >= 0) {
      reference = reference.substring(0, digest);
    }
    int tag = reference.lastIndexOf(':');
    return tag > reference.lastIndexOf('/') ? reference.substring(0, tag) : reference;
  }
}
