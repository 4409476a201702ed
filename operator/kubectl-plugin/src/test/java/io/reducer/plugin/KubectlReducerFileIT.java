package io.reducer.plugin;

import static io.reducer.plugin.Fixtures.NS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as a user installs it: {@code target/kubectl-reducer}, one file copied onto PATH, run as a child process
 * with only a JRE and a kubeconfig (here pointing at the mock API server), never the classes on the test classpath.
 */
class KubectlReducerFileIT {

  private static final Path FILE = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
      .resolve("target").resolve("kubectl-reducer");

  @RegisterExtension
  final MockApi api = new MockApi();

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {
  }

  @BeforeAll
  static void built() {
    assertThat(FILE).as("%s: made in the package phase; run `mvn verify`, not the IT alone", FILE).isExecutable();
  }

  @Test
  void kubectlFindsItOnPathAndItShowsAPipeline() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(FILE, bin.resolve("kubectl-reducer"));
    bin.resolve("kubectl-reducer").toFile().setExecutable(true);
    Fixtures.apply(api.client(), Fixtures.pipeline("healthy", Fixtures.HEALTHY_STATUS));
    Fixtures.lease(api.client(), ZonedDateTime.now(ZoneOffset.UTC));
    Path kubeconfig = kubeconfig(api.client().getMasterUrl().toString());
    String path = bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin";

    Run help = run(List.of("kubectl-reducer", "--help"), Map.of("PATH", path));
    assertThat(help.code()).as(help.err()).isZero();
    assertThat(help.out()).contains("status", "approve", "replay", "reset", "trace");

    Run status = run(List.of("kubectl-reducer", "status", "healthy"), Map.of("PATH", path,
        "KUBECONFIG", kubeconfig.toString()));
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("PIPELINE " + NS + "/healthy").contains("operator: running: Lease");
    assertThat(status.err()).as("no library noise").doesNotContain("SLF4J").doesNotContain("WARN")
        .doesNotContain("Exception");
  }

  @Test
  void withoutAKubeconfigItSaysHowToGetOne() throws Exception {
    Run status = run(List.of(FILE.toString(), "status"), Map.of("PATH", Path.of(System.getProperty("java.home"),
        "bin") + ":/usr/bin:/bin", "KUBECONFIG", dir.resolve("missing").toString()));
    assertThat(status.code()).isEqualTo(ExitCode.FAILED);
    assertThat(status.err()).contains("no kubeconfig").contains("--kubeconfig").doesNotContain("Exception");
  }

  private Path kubeconfig(String server) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: mock",
        "  cluster: {server: '" + server + "'}",
        "users:",
        "- name: mock",
        "  user: {token: mock}",
        "contexts:",
        "- name: mock",
        "  context: {cluster: mock, user: mock, namespace: " + NS + "}",
        "current-context: mock",
        ""));
  }

  private Run run(List<String> command, Map<String, String> env) throws Exception {
    List<String> argv = new ArrayList<>(command);
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().put("HOME", dir.toString());
    builder.environment().putAll(env);
    if (!argv.get(0).contains("/")) {
      // As a shell would: the first PATH entry that has it.
      for (String entry : env.get("PATH").split(":")) {
        if (Files.isExecutable(Path.of(entry, argv.get(0)))) {
          argv.set(0, Path.of(entry, argv.get(0)).toString());
          break;
        }
      }
      builder.command(argv);
    }
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
