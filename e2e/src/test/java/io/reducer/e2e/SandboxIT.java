package io.reducer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The README's first command in its non-interactive mode: everything starts, the examples are admitted, and the
 * operator's status shows the pipeline connected and the projection's partitions, replicas and lag.
 */
class SandboxIT {

  @Test
  void startsEverythingAndTheOperatorFillsInTheStatusOfTheExamples() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    int status = new Sandbox(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(true);

    String output = buffer.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isZero();
    assertThat(output)
        .contains("reducerpipeline.reducer.io/workflows created")
        .contains("projection.reducer.io/workflow-projection created")
        .contains("projection.reducer.io/hostile with spec.table \"x; DROP TABLE y\" refused: spec.table")
        .containsPattern("NAMESPACE +NAME +PARTITIONS +REPLICAS +READY +LAG +WM-LAG +HEALTH +AGE")
        .contains("the operator shows 12 partitions, 6 materializers (maxReplicas) and 5000 records of lag")
        .containsPattern("orders +workflow-projection +12 +6 +0 +5000 ")
        .contains("workflow-projection-materializer     6")
        .contains("stopped cleanly");
  }
}
