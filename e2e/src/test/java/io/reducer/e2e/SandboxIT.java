package io.reducer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The README's first command in its non-interactive mode: the local cluster starts, the examples are admitted, and
 * the story runs to its end: traffic caught up with the poison in the DLQ, a previewed and approved replay, a
 * watermark reset with rebuild, and materializers following a partition increase.
 */
class SandboxIT {

  @Test
  void walksTheStoryAndEveryStepReachesItsExpectedState() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    int status = new Sandbox(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(true);

    String output = buffer.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isZero();
    assertThat(output)
        .contains("reducerpipeline.reducer.io/workflows created")
        .contains("projection.reducer.io/workflow-projection created")
        .contains("projection.reducer.io/hostile with spec.table \"x; DROP TABLE y\" refused: spec.table")
        .containsPattern("NAMESPACE +NAME +PARTITIONS +REPLICAS +READY +LAG +WM-LAG +HEALTH +AGE")
        .contains("40 records in prod.workflows.evt.state-committed.v1.dlq")
        .contains("1000 workflows in workflow_state, 3000 versions in workflow_state_history")
        .contains("runbook SQL: 0 workflows behind canonical in workflow_projection, 0 rows in reducer_gaveup_log, "
            + "outbox backlog 0 (3000 versions published)")
        .containsPattern("orders +workflows +3/3 +2/2 +0(\\.0)? +40 +1/1 +\\w+ ")
        .containsPattern("orders +quarantine-poison +Succeeded +40 +40 +0 ")
        .containsPattern("orders +rebuild-sandbox +workflow-projection +<none> +\\S+ +earliest +\\S+ +Completed +1 ")
        .containsPattern("orders +workflow-projection +6 +6 +6 +0 ")
        .contains("every step reached its expected state")
        .contains("stopped cleanly")
        // A figure the operator has not measured yet reads "unknown", never a Java null.
        .doesNotContainPattern("=null|null (ms|%)|, [a-z ]+ null\\b");
  }
}
