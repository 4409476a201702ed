package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.CliRun;
import io.reducer.workloads.ExitCodes;

/** What the command says without a broker: help, usage, and a configuration error in both output forms. */
class TraceCommandTest {

  @TempDir
  Path directory;

  @Test
  void helpListsTheOptionsAndMainListsTheCommand() throws Exception {
    CliRun help = CliRun.run(directory, Map.of(), List.of("trace", "--help"));
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("usage: workloads trace --correlation-id <id> [options]")
        .contains("--since", "TRACE_SINCE", "(default 1h)", "exit codes:");

    CliRun usage = CliRun.run(directory, Map.of(), List.of("--help"));
    assertThat(usage.out()).contains("  trace         find every record and row carrying a correlation id");
  }

  @Test
  void aConfigurationErrorIsOneJsonDocumentWithJsonAndAMessageOnStderr() throws Exception {
    CliRun json = CliRun.run(directory, Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
        List.of("trace", "--correlation-id", "c-9", "-o", "json"));

    assertThat(json.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    TraceResult result = TraceResult.parse(json.out());
    assertThat(result.result()).isEqualTo(TraceResult.FAILED);
    assertThat(result.correlationId()).isEqualTo("c-9");
    assertThat(result.message()).startsWith("configuration error: no topic to search");
    assertThat(json.out().strip()).doesNotContain("\n");
    assertThat(json.err()).startsWith("trace: configuration error: no topic to search");
    assertThat(TraceResult.parse(json.terminationLog())).isEqualTo(result);

    CliRun text = CliRun.run(directory, Map.of(), List.of("trace", "--topic", "a", "--since", "later"));
    assertThat(text.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(text.out()).isEmpty();
    assertThat(text.err()).contains("missing --correlation-id");
  }
}
