package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResetResultTest {

  private final ResetResult completed = new ResetResult(ResetOutcome.Completed, 3L, 4L, true, List.of(
      new PlannedPartition(0, 120L, 0, 0, 120), new PlannedPartition(1, null, 5, 5, 9)), "moved 2 partitions");

  @Test
  void writesTheAgreedFieldNamesAndLeavesOutAbsentValues() {
    assertThat(completed.toJson()).isEqualTo("{\"result\":\"Completed\",\"currentEpoch\":3,\"newEpoch\":4,"
        + "\"truncated\":true,\"partitionCount\":2,\"partitions\":["
        + "{\"partition\":0,\"currentOffset\":120,\"newOffset\":0,\"logStartOffset\":0,\"logEndOffset\":120},"
        + "{\"partition\":1,\"newOffset\":5,\"logStartOffset\":5,\"logEndOffset\":9}],"
        + "\"message\":\"moved 2 partitions\"}");
    assertThat(ResetResult.failed("group busy").toJson())
        .isEqualTo("{\"result\":\"Failed\",\"truncated\":false,\"partitions\":[],\"message\":\"group busy\"}");
  }

  @Test
  void parsesWhatItWrites() {
    assertThat(ResetResult.parse(completed.toJson())).isEqualTo(completed);
    ResetResult dryRun = new ResetResult(ResetOutcome.DryRun, 0L, 1L, false, List.of(), "");
    assertThat(ResetResult.parse(dryRun.toJson())).isEqualTo(dryRun);
  }

  @Test
  void parsesTheStatusSpellingOfTruncateAndIgnoresUnknownFields() {
    ResetResult parsed = ResetResult.parse("{\"result\":\"DryRun\",\"truncate\":true,\"future\":1}");
    assertThat(parsed.truncated()).isTrue();
    assertThat(parsed.partitions()).isEmpty();
    assertThat(parsed.currentEpoch()).isNull();
  }

  @Test
  void refusesWhatIsNotAResult() {
    assertThatThrownBy(() -> ResetResult.parse("Error: OOMKilled")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a reset result");
    assertThatThrownBy(() -> ResetResult.parse("{}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no \"result\" field");
  }

  @Test
  void staysWellUnderTheTerminationMessageLimit() {
    List<PlannedPartition> many = new ArrayList<>();
    for (int p = 0; p < 1000; p++) {
      many.add(new PlannedPartition(p, 1_000_000_000L, 999_999_999L, 0, 1_000_000_000L));
    }
    ResetResult big = new ResetResult(ResetOutcome.Completed, 1L, 2L, false, many, "x".repeat(10_000));
    String json = big.toJson();
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResetResult.MAX_MESSAGE_BYTES);
    ResetResult parsed = ResetResult.parse(json);
    assertThat(parsed.partitions()).isEmpty();
    assertThat(parsed.partitionCount()).isEqualTo(1000);
    assertThat(parsed.message()).startsWith("(the plan of 1000 partitions is too long for this message");
    assertThat(parsed.newEpoch()).isEqualTo(2L);

    List<PlannedPartition> twelve = many.subList(0, 12);
    String fits = new ResetResult(ResetOutcome.Completed, 1L, 2L, false, twelve, "ok").toJson();
    assertThat(ResetResult.parse(fits).partitions()).isEqualTo(twelve);
  }

  @Test
  void aPlanTooLongForTheMessageLeavesASummaryThatSaysWhereTheWholePlanIs() {
    List<PlannedPartition> many = new ArrayList<>();
    for (int p = 0; p < 200; p++) {
      many.add(new PlannedPartition(p, 1_000L + p, 10L + p, 0, 2_000L + p));
    }
    ResetResult.AppliedTo where = new ResetResult.AppliedTo("public.projection_watermarks", "orders", "view",
        "reducer-materializer-view", "state-committed");
    String json = new ResetResult(ResetOutcome.Completed, 3L, 4L, true, many, "moved 200 partition(s)")
        .appliedTo(where).toJson();
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResetResult.MAX_MESSAGE_BYTES);
    ResetResult summary = ResetResult.parse(json);
    assertThat(summary.result()).isEqualTo(ResetOutcome.Completed);
    assertThat(summary.partitions()).isEmpty();
    assertThat(summary.partitionCount()).isEqualTo(200);
    assertThat(summary.appliedTo()).isEqualTo(where);
    assertThat(summary.newEpoch()).isEqualTo(4L);
    assertThat(summary.message()).contains("public.projection_watermarks", "namespace 'orders'",
        "reducer-materializer-view").endsWith("moved 200 partition(s)");

    // A plan that fits keeps its partitions next to the count and the pointer.
    ResetResult small = ResetResult.parse(new ResetResult(ResetOutcome.Completed, 3L, 4L, false, many.subList(0, 3),
        "ok").appliedTo(where).toJson());
    assertThat(small.partitions()).isEqualTo(many.subList(0, 3));
    assertThat(small.partitionCount()).isEqualTo(3);
    assertThat(small.appliedTo()).isEqualTo(where);
  }
}
