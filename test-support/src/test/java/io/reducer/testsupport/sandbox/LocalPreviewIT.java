package io.reducer.testsupport.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command in its non-interactive mode: everything starts, the examples are admitted. */
class LocalPreviewIT {

  @Test
  void startsEverythingAdmitsTheExamplesRefusesAHostileOneAndStopsCleanly() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    int status = new LocalPreview(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(true);

    String output = buffer.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isZero();
    assertThat(output)
        .contains("reducerpipeline.reducer.io/workflows created")
        .contains("projection.reducer.io/workflow-projection created")
        .contains("projection.reducer.io/hostile with spec.table \"x; DROP TABLE y\" refused: spec.table")
        .contains("NAMESPACE   NAME                  PARTITIONS   REPLICAS   READY    LAG      WM-LAG   HEALTH   AGE")
        .contains("stopped cleanly");
  }
}
