package io.reducer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import io.reducer.testsupport.ProjectLayout;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a pod of the chart starts the operator, read from what the build made: the operator image's entry point (its
 * JVM flags) and environment, from the image the package phase writes to operator/controller/target/image-test; the
 * image's classpath (the module's jar and its runtime dependencies); and the chart's default {@code jvmOptions}
 * (the pod's {@code JAVA_TOOL_OPTIONS}) and memory limit, from helm/reducer-operator/values.yaml. A benchmark that
 * starts the operator this way measures the process users run, not one with options of its own.
 *
 * @param jvmFlags the entry point's options between {@code java} and {@code -cp}
 * @param environment the image's environment variables
 * @param classpath the image's classpath, as files of this machine
 * @param javaToolOptions the chart's default {@code jvmOptions}; empty when it sets none
 * @param memoryLimit the chart's default memory limit of the operator container, e.g. 512Mi
 */
record OperatorImage(List<String> jvmFlags, Map<String, String> environment, String classpath,
    String javaToolOptions, String memoryLimit) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String MODULE = "operator/controller";

  /** As built in this repository; fails when the operator module was not packaged. */
  static OperatorImage fromBuild() {
    Path root = ProjectLayout.root();
    Path target = root.resolve(MODULE).resolve("target");
    Path imageTest = target.resolve("image-test");
    Path tarball = imageTest.resolve("jib-image.tar");
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException(tarball + " is missing: build the operator module first (mvn install)");
    }
    try {
      JsonNode manifest = JSON.readTree(tarEntry(tarball, "manifest.json"));
      JsonNode config = JSON.readTree(tarEntry(tarball, manifest.get(0).get("Config").asText())).get("config");
      List<String> entrypoint = new ArrayList<>();
      config.get("Entrypoint").forEach(node -> entrypoint.add(node.asText()));
      int cp = entrypoint.indexOf("-cp");
      if (!entrypoint.get(0).equals("java") || cp < 0) {
        throw new IllegalStateException("unexpected entry point of the operator image: " + entrypoint);
      }
      Map<String, String> environment = new LinkedHashMap<>();
      config.path("Env").forEach(node -> {
        String variable = node.asText();
        int equals = variable.indexOf('=');
        environment.put(variable.substring(0, equals), variable.substring(equals + 1));
      });
      List<String> classpath = new ArrayList<>();
      try (var jars = Files.list(target)) {
        jars.filter(p -> p.getFileName().toString().matches("reducer-operator-controller-.*\\.jar"))
            .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
            .forEach(p -> classpath.add(p.toString()));
      }
      classpath.addAll(Arrays.asList(Files.readString(imageTest.resolve("runtime-classpath.txt")).trim()
          .split(File.pathSeparator)));
      JsonNode values = YAML.readTree(root.resolve("helm/reducer-operator/values.yaml").toFile());
      return new OperatorImage(List.copyOf(entrypoint.subList(1, cp)), environment,
          String.join(File.pathSeparator, classpath), values.path("jvmOptions").asText(""),
          values.path("resources").path("limits").path("memory").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JVM options of a process started as the pod starts it: {@code -XX:MaxRAM} at the container's memory limit,
   * which a JVM in a container reads from its cgroup (so that MaxRAMPercentage and the heap mean the same here),
   * then the image's flags. The chart's options go in {@link #javaToolOptions()}, read by the JVM before these.
   */
  List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    if (!memoryLimit.isEmpty()) {
      options.add("-XX:MaxRAM=" + memoryLimitBytes());
    }
    options.addAll(jvmFlags);
    return options;
  }

  long memoryLimitBytes() {
    return Quantity.getAmountInBytes(new Quantity(memoryLimit)).longValueExact();
  }

  /** One line for a report: the options as a pod has them. */
  String describe() {
    return "image " + String.join(" ", jvmFlags)
        + (javaToolOptions.isEmpty() ? "" : ", chart JAVA_TOOL_OPTIONS " + javaToolOptions)
        + (environment.isEmpty() ? "" : ", image env " + environment.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")))
        + ", memory limit " + memoryLimit;
  }

  /** The content of one file of an uncompressed tar archive (the image tarball Jib writes). */
  static byte[] tarEntry(Path tarball, String name) throws IOException {
    try (InputStream in = Files.newInputStream(tarball)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String entry = field(header, 0, 100);
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        long padded = (size + 511) / 512 * 512;
        if (entry.equals(name) || entry.equals("./" + name)) {
          byte[] content = in.readNBytes((int) size);
          in.skipNBytes(padded - size);
          return content;
        }
        in.skipNBytes(padded);
      }
    }
    throw new IllegalStateException(tarball + " has no " + name);
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
