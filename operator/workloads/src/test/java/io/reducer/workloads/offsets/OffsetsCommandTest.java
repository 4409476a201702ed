package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.Main;

/** The command line without a broker or database: dispatch, help, and configuration errors. */
class OffsetsCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void mainDispatchesToTheResetAndItsHelp() {
    assertThat(run(List.of("offsets", "reset", "--help"), Map.of())).isEqualTo(ExitCodes.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: workloads offsets reset")
        .contains("--expected-epoch").contains("RESET_JDBC_URL").contains("4 the consumer group still has members");
    assertThat(run(List.of("offsets"), Map.of())).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(run(List.of("offsets", "rewind"), Map.of())).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown subcommand: offsets rewind");
    assertThat(run(List.of("--help"), Map.of())).isEqualTo(ExitCodes.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("offsets reset");
  }

  @Test
  void aConfigurationErrorExitsWithTwoAndStillWritesAResult(@TempDir Path directory) throws Exception {
    Path log = directory.resolve("termination-log");
    int code = run(List.of("offsets", "reset", "--target", "backwards", "--termination-log", log.toString()),
        Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "RESET_TOPIC", "t", "RESET_JDBC_URL", "jdbc:postgresql://db/app",
            "PGUSER", "app"));
    assertThat(code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid --target 'backwards'");
    ResetResult result = ResetResult.parse(Files.readString(log));
    assertThat(result.result()).isEqualTo(ResetOutcome.Failed);
    assertThat(result.message()).startsWith("configuration error: invalid --target 'backwards'");
  }

  private int run(List<String> args, Map<String, String> env) {
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      return Main.run(args, env, o, e);
    }
  }
}
