package io.reducer.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.materializer.TestEvents;

/**
 * The command as it ships outside Kubernetes (docs/cli.md): {@code target/workloads}, the launcher with the shaded
 * jar appended, and the shaded jar itself, both made in the package phase. Each is run as a child process, never
 * the classes on the test classpath, so what is checked is what a user gets: the launcher, the merged service files
 * (Kafka, the PostgreSQL driver, the SLF4J provider, Micrometer) and the logging configuration of the shaded jar.
 */
class DistributionIT {

  private static final Path TARGET = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
  private static final Path LAUNCHER = TARGET.resolve("workloads");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static TestCluster cluster;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    assertThat(LAUNCHER).as("%s: made in the package phase; run `mvn verify`, not the IT alone", LAUNCHER)
        .isExecutable();
    cluster = new TestCluster();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void helpListsTheCommandsAndExitsZero() throws Exception {
    Run help = run(List.of(LAUNCHER.toString(), "--help"), Map.of());

    assertThat(help.code()).as(help.toString()).isZero();
    assertThat(help.out()).contains("usage: workloads <command>", "reduce", "materialize", "offsets reset",
        "dlq inspect|replay");
    assertThat(help.err()).isEmpty();

    Run commandHelp = run(List.of(LAUNCHER.toString(), "dlq", "inspect", "--help"), Map.of());
    assertThat(commandHelp.code()).as(commandHelp.toString()).isZero();
    assertThat(commandHelp.out()).contains("--bootstrap-servers", "KAFKA_SECURITY_PROTOCOL", "exit codes: 0 done");
  }

  @Test
  void aWrongCommandLineExitsTwoAndSaysWhatToDo() throws Exception {
    Run unknownOption = run(List.of(LAUNCHER.toString(), "dlq", "inspect", "--bootstrap", "localhost:9092"),
        Map.of());
    assertThat(unknownOption.code()).as(unknownOption.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(unknownOption.err())
        .contains("dlq inspect: configuration error: unknown option: --bootstrap (see --help)");

    Run missing = run(List.of(LAUNCHER.toString(), "dlq", "inspect", "--dlq-topic", "x"), Map.of());
    assertThat(missing.code()).as(missing.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(missing.err()).contains("missing --bootstrap-servers: pass --bootstrap-servers <value> or set "
        + "KAFKA_BOOTSTRAP_SERVERS");

    Run unknownCommand = run(List.of(LAUNCHER.toString(), "replay"), Map.of());
    assertThat(unknownCommand.code()).as(unknownCommand.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(unknownCommand.err()).contains("unknown command: replay", "usage: workloads <command>");

    Stream.of(unknownOption, missing, unknownCommand).forEach(DistributionIT::assertQuiet);
  }

  /**
   * materialize from the launcher: its start-up checks against Kafka and PostgreSQL, /metrics, a row written, a
   * poison record sent to the DLQ and a clean stop on SIGTERM. Then dlq inspect, from the launcher and with java
   * -jar, finds that record.
   */
  @Test
  void materializeThenInspectTheDeadLetterAgainstARealBrokerAndDatabase() throws Exception {
    String topic = "dist-state-committed";
    cluster.createTopics(topic, 2);
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      producer.send(TestEvents.event(topic, "wf-1", 1)).get();
      producer.send(new ProducerRecord<>(topic, "wf-2", "this is not JSON")).get();
    }
    Map<String, String> env = cluster.env(topic, "dist", "dist_projection");
    env.put("MATERIALIZER_HTTP_PORT", "0");

    Path out = dir.resolve("materialize.out");
    Path err = dir.resolve("materialize.err");
    Process materialize = start(List.of(LAUNCHER.toString(), "materialize"), env, out, err);
    try {
      int port = awaitPort(materialize, out, err);
      await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() ->
          assertThat(cluster.projection("dist_projection")).containsEntry("wf-1", "1:S1"));
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.logEnd(topic + ".dlq", 1)).containsEntry(0, 1L));
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("projection_materializer_projections_materialized");

      materialize.destroy();
      assertThat(materialize.waitFor(60, TimeUnit.SECONDS)).as("stops within 60 s of SIGTERM").isTrue();
    } finally {
      materialize.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Run materialized = new Run(materialize.exitValue(), Files.readString(out), Files.readString(err));
    assertThat(materialized.code()).as(materialized.toString()).isEqualTo(ExitCodes.OK);
    assertThat(materialized.err()).contains("SIGTERM: stopping after the in-flight batch");
    assertQuiet(materialized);

    List<String> inspect = List.of("dlq", "inspect", "--bootstrap-servers", cluster.broker.bootstrapServers(),
        "--dlq-topic", topic + ".dlq", "--termination-log", dir.resolve("result.json").toString());
    for (List<String> command : List.of(concat(List.of(LAUNCHER.toString()), inspect),
        concat(List.of(JAVA, "-jar", shadedJar().toString()), inspect))) {
      Run run = run(command, Map.of());
      assertThat(run.code()).as(run.toString()).isEqualTo(ExitCodes.OK);
      assertThat(run.out()).as(run.toString()).contains("snapshot 0=1", "1 of 1 records read match",
          "DESERIALIZATION_ERROR", "key=wf-2");
      assertThat(run.err()).as(run.toString()).isEmpty();
    }
  }

  @Test
  void withoutJava17TheLauncherExitsTwoAndSaysSo() throws Exception {
    Path emptyPath = Files.createDirectories(dir.resolve("no-java-here"));
    Run noJava = run(List.of(LAUNCHER.toString(), "--help"), Map.of("PATH", emptyPath.toString()), "JAVA_HOME");
    assertThat(noJava.code()).as(noJava.toString()).isEqualTo(2);
    assertThat(noJava.err()).as(noJava.toString())
        .contains("workloads: needs Java 17 or later, and found none", "set JAVA_HOME");

    Run wrongHome = run(List.of(LAUNCHER.toString(), "--help"), Map.of("JAVA_HOME", emptyPath.toString()));
    assertThat(wrongHome.code()).as(wrongHome.toString()).isEqualTo(2);
    assertThat(wrongHome.err()).contains("JAVA_HOME is " + emptyPath + ", which has no bin/java");

    Path oldJava = Files.createDirectories(dir.resolve("jdk8").resolve("bin")).resolve("java");
    Files.writeString(oldJava, "#!/bin/sh\necho 'java version \"1.8.0_381\"' >&2\n");
    assertThat(oldJava.toFile().setExecutable(true)).isTrue();
    Run tooOld = run(List.of(LAUNCHER.toString(), "--help"), Map.of("JAVA_HOME", oldJava.getParent().getParent()
        .toString()));
    assertThat(tooOld.code()).as(tooOld.toString()).isEqualTo(2);
    assertThat(tooOld.err()).contains("needs Java 17 or later, but " + oldJava + " is Java 1.8.0_381");
  }

  private static Path shadedJar() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      List<Path> jars = files.filter(p -> p.getFileName().toString().matches("workloads-.+\\.jar")).toList();
      assertThat(jars).as("the shaded jar in %s", TARGET).hasSize(1);
      return jars.get(0);
    }
  }

  /** No stack trace, no SLF4J complaint, no library chatter: only the command's own lines. */
  private static void assertQuiet(Run run) {
    String all = run.out() + run.err();
    assertThat(all).as(run.toString()).doesNotContain("SLF4J", "\tat ", "Exception in thread", "org.apache.kafka");
  }

  private static Run run(List<String> command, Map<String, String> env, String... unset) throws Exception {
    Path out = Files.createTempFile(TARGET, "dist-", ".out");
    Path err = Files.createTempFile(TARGET, "dist-", ".err");
    try {
      Process process = start(command, env, out, err, unset);
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " still runs after " + TIMEOUT + ":\n" + Files.readString(out)
            + Files.readString(err));
      }
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  /** The child sees JAVA_HOME of this JVM unless told otherwise, and none of the JVM option variables. */
  private static Process start(List<String> command, Map<String, String> env, Path out, Path err, String... unset)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS")
        .forEach(builder.environment()::remove);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    List.of(unset).forEach(builder.environment()::remove);
    return builder.start();
  }

  private static int awaitPort(Process process, Path out, Path err) throws Exception {
    Pattern line = Pattern.compile("materializer http port: (\\d+)");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = line.matcher(Files.readString(out));
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("materialize exited with " + process.exitValue() + ":\n" + Files.readString(out)
            + Files.readString(err));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("materialize printed no HTTP port within " + TIMEOUT + ":\n" + Files.readString(err));
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private record Run(int code, String out, String err) {

    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }
}
