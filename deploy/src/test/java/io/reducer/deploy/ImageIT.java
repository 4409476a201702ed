package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reducer.controller.app.OperatorConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator and workloads images, as Jib builds them in the package phase of their modules (target/image-test,
 * see the parent POM): the same configuration as `jib:build` and `jib:buildTar`, from the empty base image
 * {@code scratch} instead of the JRE, because no registry is reachable here. Opens each tarball and checks its
 * configuration and layers, then extracts the layers and runs the entry point from the image's own files: only
 * {@code java} is the host's (the test base has none) and the entry point's container paths are resolved under the
 * extracted root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLASSPATH_FILE = "/app/jib-classpath-file";

  @TempDir
  static Path temp;

  private final Map<Images, Path> roots = new TreeMap<>((a, b) -> a.name().compareTo(b.name()));
  private final Map<Images, JsonNode> configs = new TreeMap<>((a, b) -> a.name().compareTo(b.name()));
  private final Map<Images, JsonNode> manifests = new TreeMap<>((a, b) -> a.name().compareTo(b.name()));

  @BeforeAll
  void openTheImages() throws Exception {
    for (Images image : Images.ALL) {
      Path tarball = image.testOutput().resolve("jib-image.tar");
      assertThat(tarball).as("%s: built in the package phase of %s; run `mvn verify` from the repository root",
          tarball, image.module()).exists();
      Path archive = Files.createDirectories(temp.resolve(image.name()).resolve("archive"));
      untar(tarball, archive);
      JsonNode manifest = JSON.readTree(archive.resolve("manifest.json").toFile());
      assertThat(manifest).as("%s manifest.json: one image", image.name()).hasSize(1);
      manifests.put(image, manifest.get(0));
      configs.put(image, JSON.readTree(archive.resolve(manifest.get(0).get("Config").asText()).toFile()));
      Path root = Files.createDirectories(temp.resolve(image.name()).resolve("root"));
      for (JsonNode layer : manifest.get(0).get("Layers")) {
        untar(archive.resolve(layer.asText()), root);
      }
      roots.put(image, root);
    }
  }

  @Test
  void eachImageIsTaggedWithTheNameTheChartAndTheOperatorUse() {
    for (Images image : Images.ALL) {
      assertThat(texts(manifests.get(image).get("RepoTags"))).as(image.name()).containsExactly(image.reference());
    }
  }

  @Test
  void theEntryPointRunsTheMainClassWithJavaInExecForm() {
    assertThat(texts(config(Images.WORKLOADS).get("Entrypoint"))).containsExactly("java",
        "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn", "-cp", "@" + CLASSPATH_FILE,
        Images.WORKLOADS.mainClass());
    // The operator's JVM is sized for its memory limit (operator/controller/pom.xml, docs/benchmarks.md).
    assertThat(texts(config(Images.OPERATOR).get("Entrypoint"))).containsExactly("java",
        "-XX:MaxRAMPercentage=75.0", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
        "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn", "-cp", "@" + CLASSPATH_FILE,
        Images.OPERATOR.mainClass());
    for (Images image : Images.ALL) {
      assertThat(config(image).path("Cmd").isMissingNode() || config(image).get("Cmd").isNull()
          || config(image).get("Cmd").isEmpty()).as("%s: no default arguments", image.name()).isTrue();
    }
  }

  @Test
  void theImagesRunAsTheNonRootUserAndExposeTheirPort() {
    for (Images image : Images.ALL) {
      assertThat(config(image).get("User").asText()).as(image.name()).isEqualTo(Images.property("image.user"))
          .doesNotStartWith("0:").doesNotStartWith("root");
      assertThat(texts(config(image).get("ExposedPorts").fieldNames())).as(image.name())
          .containsExactly(image.port() + "/tcp");
      // The base image's environment (PATH, JAVA_HOME) is all, but for the operator's malloc arenas; the pods set
      // the rest.
      assertThat(texts(config(image).get("Env"))).as(image.name())
          .isEqualTo(image == Images.OPERATOR ? List.of("MALLOC_ARENA_MAX=2") : List.of());
    }
  }

  @Test
  void theImagesCarryOciLabels() {
    for (Images image : Images.ALL) {
      JsonNode labels = config(image).get("Labels");
      assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo(image.name());
      assertThat(labels.get("org.opencontainers.image.version").asText())
          .isEqualTo(Images.property("project.version"));
      assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo(Images.property("image.source"));
      assertThat(labels.get("org.opencontainers.image.description").asText()).as(image.name()).isNotBlank();
    }
  }

  @Test
  void theLayersHoldTheModulesClassesAndExactlyItsRuntimeDependencies() throws IOException {
    for (Images image : Images.ALL) {
      Path root = roots.get(image);
      Set<String> expected = Arrays.stream(Files.readString(image.testOutput().resolve("runtime-classpath.txt"))
          .trim().split(File.pathSeparator)).map(p -> Path.of(p).getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(expected).as("%s runtime classpath", image.module()).isNotEmpty();
      Set<String> inImage;
      try (Stream<Path> libs = Files.list(root.resolve("app/libs"))) {
        inImage = libs.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
      }
      assertThat(inImage).as("%s: /app/libs against the module's runtime classpath", image.name())
          .isEqualTo(expected);
      assertThat(root.resolve("app/classes").resolve(image.mainClass().replace('.', '/') + ".class"))
          .as(image.name()).isRegularFile();
      try (Stream<Path> top = Files.list(root)) {
        assertThat(top.map(p -> p.getFileName().toString())).as("%s: nothing outside /app", image.name())
            .containsExactly("app");
      }
      // Every jar of the classpath file is in the image, in /app.
      for (String entry : classpath(image)) {
        assertThat(entry).startsWith("/app/");
        assertThat(root.resolve(entry.substring(1))).as("%s: classpath entry %s", image.name(), entry).exists();
      }
    }
  }

  @Test
  void theNonRootUserCanReadEveryFile() throws IOException {
    for (Images image : Images.ALL) {
      try (Stream<Path> files = Files.walk(roots.get(image))) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
          assertThat(mode).as("%s: %s", image.name(), file).contains(PosixFilePermission.OTHERS_READ);
          if (Files.isDirectory(file)) {
            assertThat(mode).as("%s: %s", image.name(), file).contains(PosixFilePermission.OTHERS_EXECUTE);
          }
        }
      }
    }
  }

  @Test
  void theOperatorEntryPointStartsFromTheImagesFiles() throws Exception {
    Run run = run(Images.OPERATOR, "--help");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).as(run.toString()).contains(OperatorConfig.usage());
  }

  @Test
  void everyWorkloadsCommandStartsFromTheImagesFiles() throws Exception {
    List<List<String>> commands = List.of(List.of("--help"), List.of("reduce", "--help"),
        List.of("materialize", "--help"), List.of("offsets", "--help"), List.of("offsets", "reset", "--help"),
        List.of("dlq", "--help"), List.of("dlq", "inspect", "--help"), List.of("dlq", "replay", "--help"));
    for (List<String> command : commands) {
      Run run = run(Images.WORKLOADS, command.toArray(String[]::new));
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).as(run.toString()).containsIgnoringCase("usage");
    }
  }

  private JsonNode config(Images image) {
    return configs.get(image).get("config");
  }

  private List<String> classpath(Images image) throws IOException {
    String text = Files.readString(roots.get(image).resolve(CLASSPATH_FILE.substring(1))).trim();
    return List.of(text.split(":"));
  }

  /** The image's entry point with {@code args}, its files from the extracted root, its environment the image's. */
  private Run run(Images image, String... args) throws Exception {
    Path root = roots.get(image);
    List<String> command = new ArrayList<>();
    for (String word : texts(config(image).get("Entrypoint"))) {
      if (word.equals("java")) {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      } else if (word.equals("@" + CLASSPATH_FILE)) {
        command.add(classpath(image).stream().map(entry -> root.resolve(entry.substring(1)).toString())
            .collect(Collectors.joining(File.pathSeparator)));
      } else {
        command.add(word);
      }
    }
    command.addAll(List.of(args));
    ProcessBuilder process = new ProcessBuilder(command).directory(root.toFile());
    process.environment().clear();
    Path out = temp.resolve("out.txt");
    Path err = temp.resolve("err.txt");
    Process started = process.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!started.waitFor(60, TimeUnit.SECONDS)) {
      started.destroyForcibly();
      throw new AssertionError(image.name() + " " + String.join(" ", args) + " did not exit within 60 s");
    }
    return new Run(image.name() + " " + String.join(" ", args), started.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Run(String what, int exitCode, String out, String err) {
    @Override
    public String toString() {
      return what + " exited " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private static void untar(Path archive, Path into) throws Exception {
    // The system tar: it reads gzip and the PAX headers Jib writes, and keeps the files' modes.
    Process tar = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", into.toString())
        .redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).as("tar -xf %s: %s", archive, output).isZero();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static List<String> texts(java.util.Iterator<String> names) {
    List<String> texts = new ArrayList<>();
    names.forEachRemaining(texts::add);
    return texts;
  }
}
