package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.dlq.TerminationMessage;

class TraceResultTest {

  @Test
  void theJsonReadsBack() {
    TraceResult result = result(3);
    TraceResult read = TraceResult.parse(result.toJson());
    assertThat(read).isEqualTo(result);
    assertThat(read.found()).isTrue();
    assertThat(result.toJson()).doesNotContain("null").contains("\"verdict\":{\"stages\":[{\"name\":\"received\"");
    assertThat(result.terminationJson()).isEqualTo(result.toJson());
  }

  @Test
  void aLargeResultIsSummarizedToFitTheTerminationMessage() {
    TraceResult result = result(200);
    assertThat(bytes(result.toJson())).isGreaterThan(TerminationMessage.MAX_BYTES);

    String json = result.terminationJson();
    assertThat(bytes(json)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    TraceResult summary = TraceResult.parse(json);
    assertThat(summary.timeline()).isNull();
    assertThat(summary.timelineEntries()).isEqualTo(200);
    assertThat(summary.verdict().stages()).hasSize(5);
    assertThat(summary.counts()).isEqualTo(result.counts());
    assertThat(summary.message()).contains("the timeline of 200 entries is left out");
  }

  @Test
  void evenHugeCountsAndMessagesFit() {
    Map<String, TraceResult.TopicCount> topics = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      topics.put("a-rather-long-topic-name-number-" + i, new TraceResult.TopicCount(12, 1_000_000, 0));
    }
    TraceResult result = new TraceResult(TraceResult.NOT_FOUND, "c-1", new TraceResult.Window("a", null), List.of(), 0,
        Verdict.of(List.of(), Set.of(), "c-1"), new TraceResult.Counts(topics, null), null, "x".repeat(10_000));
    String json = result.terminationJson();
    assertThat(bytes(json)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    assertThat(TraceResult.parse(json).result()).isEqualTo(TraceResult.NOT_FOUND);
  }

  private static TraceResult result(int entries) {
    List<TimelineEntry> timeline = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      timeline.add(TimelineEntry.row(Instant.parse("2026-12-04T10:00:00Z").plusMillis(i),
          "public.workflow_state_history", TimelineEntry.HISTORY, "order-" + i, 1L, "PENDING", "PENDING", null,
          "STATE_COMMITTED; new workflow", "correlation_id", null));
    }
    Map<String, TraceResult.TopicCount> topics = new LinkedHashMap<>();
    topics.put("orders.actions", new TraceResult.TopicCount(3, 1204, 2));
    return new TraceResult(TraceResult.FOUND, "c-1", new TraceResult.Window("2026-12-04T09:00:00Z", null), timeline,
        entries, Verdict.of(timeline, Set.of(TimelineEntry.HISTORY), "c-1"),
        new TraceResult.Counts(topics, Map.of("public.workflow_state_history", (long) entries)),
        List.of("no --jdbc-url"), entries + " records and rows carry correlation id c-1");
  }

  private static int bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }
}
