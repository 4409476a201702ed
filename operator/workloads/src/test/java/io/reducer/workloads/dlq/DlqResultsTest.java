package io.reducer.workloads.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class DlqResultsTest {

  @Test
  void inspectResultHasTheStatusShapeAndParsesBack() throws Exception {
    DlqInspectResult result = new DlqInspectResult(List.of(new DlqInspectResult.Range(0, 3, 120)),
        new DlqInspectResult.Preview(2, Map.of("E", 2L), Map.of("orders", 1L), Map.of("0", 2L), 1,
            "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z",
            List.of(new DlqInspectResult.Sample(0, 7, "wf-1", "c-1", "E", "orders"),
                new DlqInspectResult.Sample(0, 8, "wf-2", null, "E", null))), "2 match");

    String json = result.toJson();
    JsonNode tree = DlqJson.MAPPER.readTree(json);

    assertThat(tree.path("snapshot").get(0).path("startOffset").asLong()).isEqualTo(3);
    assertThat(tree.path("preview").path("byPartition").path("0").asLong()).isEqualTo(2);
    assertThat(tree.path("preview").path("samples").get(1).has("targetTopic")).isFalse();
    assertThat(DlqInspectResult.parse(json)).isEqualTo(result);
    assertThat(DlqInspectResult.parse("{\"message\":\"boom\",\"newerField\":1}").message()).isEqualTo("boom");
    assertThatThrownBy(() -> DlqInspectResult.parse("not json")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replayResultHasTheStatusShapeAndParsesBack() throws Exception {
    DlqReplayResult result = new DlqReplayResult(new DlqReplayResult.Progress(10, 8, 2,
        new TreeMap<>(Map.of("maxReplays", 1L, "unroutable", 1L)), 0), DlqReplayResult.SUCCEEDED, "done");
    String json = result.toJson();
    assertThat(json).isEqualTo("{\"progress\":{\"matched\":10,\"replayed\":8,\"skipped\":2,\"skippedByReason\":"
        + "{\"maxReplays\":1,\"unroutable\":1},\"failed\":0},\"result\":\"Succeeded\",\"message\":\"done\"}");
    assertThat(DlqReplayResult.parse(json)).isEqualTo(result);
    assertThat(DlqReplayResult.parse(json).succeeded()).isTrue();
    // Valid JSON that is not a replay result (a pod's last log line, an older format) is refused, not half-read:
    // the operator used to fail on the missing progress in a retry loop.
    assertThatThrownBy(() -> DlqReplayResult.parse("{\"result\":\"Succeeded\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("progress");
    assertThatThrownBy(() -> DlqReplayResult.parse("{\"level\":\"info\",\"msg\":\"done\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLargeInspectResultIsCutToFourKilobytesAndSaysSo() {
    Map<String, Long> errorTypes = new LinkedHashMap<>();
    Map<String, Long> topics = new LinkedHashMap<>();
    Map<String, Long> partitions = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      errorTypes.put("com.example.errors.SomethingWentWrongException" + i, (long) i + 1);
      topics.put("team-" + i + ".orders.events.v1", (long) i + 1);
    }
    for (int p = 0; p < 30; p++) {
      partitions.put(Integer.toString(p), (long) p);
    }
    List<DlqInspectResult.Sample> samples = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      samples.add(new DlqInspectResult.Sample(0, i, "k".repeat(500), "c".repeat(256), "E".repeat(256), "t"));
    }
    List<DlqInspectResult.Range> snapshot = new ArrayList<>();
    for (int p = 0; p < 30; p++) {
      snapshot.add(new DlqInspectResult.Range(p, 0, 1_000_000));
    }
    DlqInspectResult result = new DlqInspectResult(snapshot, new DlqInspectResult.Preview(45150, errorTypes,
        topics, partitions, 0, "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", samples), "45150 match");

    String json = TerminationMessage.fit(result);

    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    DlqInspectResult fitted = DlqInspectResult.parse(json);
    assertThat(fitted.snapshot()).isEqualTo(snapshot);
    assertThat(fitted.preview().matched()).isEqualTo(45150);
    // The largest entries are the ones kept.
    assertThat(fitted.preview().byErrorType()).isNotEmpty()
        .containsKey("com.example.errors.SomethingWentWrongException299");
    assertThat(fitted.message()).startsWith("45150 match").contains("byErrorType shows the");
  }

  @Test
  void alreadyReplayedRangesAreCutToTheFirstOnesToFitAndTheCountsStay() {
    List<DlqInspectResult.ReplayedRange> ranges = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ranges.add(new DlqInspectResult.ReplayedRange(0, 1000L * i, 1000L * i + 10, "shop." + "r".repeat(190) + i));
    }
    DlqInspectResult result = new DlqInspectResult(List.of(new DlqInspectResult.Range(0, 0, 20_000)),
        new DlqInspectResult.Preview(200, Map.of("E", 200L), Map.of("t", 200L), Map.of("0", 200L), 0, null, null,
            List.of(), 3, 200, ranges), "200 match");

    DlqInspectResult fitted = DlqInspectResult.parse(TerminationMessage.fit(result));

    assertThat(fitted.preview().alreadyReplayed()).isEqualTo(200);
    assertThat(fitted.preview().targetNotAllowed()).isEqualTo(3);
    assertThat(fitted.preview().alreadyReplayedRanges()).isNotEmpty().hasSizeLessThan(20)
        .first().satisfies(r -> assertThat(r.startOffset()).isZero());
    assertThat(fitted.message()).contains("alreadyReplayedRanges");
  }

  @Test
  void aSmallInspectResultIsLeftAlone() {
    DlqInspectResult result = new DlqInspectResult(List.of(new DlqInspectResult.Range(0, 0, 1)),
        new DlqInspectResult.Preview(1, Map.of("E", 1L), Map.of("t", 1L), Map.of("0", 1L), 0, null, null,
            List.of()), "1 match");
    assertThat(TerminationMessage.fit(result)).isEqualTo(result.toJson());
  }

  @Test
  void tooManyPartitionsForTheSnapshotLeaveOnlyAMessage() {
    List<DlqInspectResult.Range> snapshot = new ArrayList<>();
    for (int p = 0; p < 200; p++) {
      snapshot.add(new DlqInspectResult.Range(p, 0, 1_000_000));
    }
    String json = TerminationMessage.fit(new DlqInspectResult(snapshot, new DlqInspectResult.Preview(0,
        Map.of(), Map.of(), Map.of(), 0, null, null, List.of()), "0 match"));
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    assertThat(DlqInspectResult.parse(json).snapshot()).isNull();
    assertThat(DlqInspectResult.parse(json).message()).contains("200 partitions").contains("--snapshot");
  }

  @Test
  void aLongReplayMessageIsShortened() {
    DlqReplayResult result = new DlqReplayResult(DlqReplayResult.Progress.none(), DlqReplayResult.FAILED,
        "é".repeat(5000));
    String json = TerminationMessage.fit(result);
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    assertThat(DlqReplayResult.parse(json).message()).endsWith("...");
    assertThat(DlqReplayResult.parse(json).result()).isEqualTo("Failed");
  }

  @Test
  void checkpointsRoundTripAndIgnoreForeignMetadata() {
    ReplayCounters counters = new ReplayCounters();
    counters.matched = 5;
    counters.replayed = 3;
    counters.skip(DlqReplayResult.MAX_REPLAYS);
    counters.skip(DlqReplayResult.UNROUTABLE);
    String encoded = ReplayCheckpoint.of("abc", 120, counters).encode();
    assertThat(encoded.length()).isLessThan(200);
    ReplayCheckpoint decoded = ReplayCheckpoint.decode(encoded);
    assertThat(decoded.end()).isEqualTo(120);
    assertThat(decoded.counters().toString()).isEqualTo(counters.toString());
    assertThat(ReplayCheckpoint.decode("")).isNull();
    assertThat(ReplayCheckpoint.decode("committed by kafka-consumer-groups")).isNull();
    assertThat(ReplayCheckpoint.decode("{\"v\":2,\"fingerprint\":\"x\"}")).isNull();
  }

  @Test
  void withAResultGroupTheMessageIsASummaryAndThePartitionsGoToTheGroup() {
    List<DlqInspectResult.Range> snapshot = new ArrayList<>();
    Map<String, Long> byPartition = new TreeMap<>();
    for (int p = 0; p < 200; p++) {
      snapshot.add(new DlqInspectResult.Range(p, 1_000_000L + p, 2_000_000L + p));
      byPartition.put(String.valueOf(p), 3L);
    }
    DlqInspectResult full = new DlqInspectResult(snapshot, new DlqInspectResult.Preview(600,
        Map.of("E", 600L), Map.of("orders", 600L), byPartition, 0, "2025-01-01T00:00:00Z", "2025-01-01T00:00:01Z",
        List.of(new DlqInspectResult.Sample(0, 7, "wf-1", "c-1", "E", "orders"))), "600 of 600 records read match");
    assertThat(full.partitions()).isEqualTo(200);
    // Without a result group the snapshot does not fit: the operator could not use this.
    assertThat(DlqInspectResult.parse(TerminationMessage.fit(full)).snapshot()).isNull();

    DlqInspectResult.ResultGroup group = new DlqInspectResult.ResultGroup("reducer-dlq-inspect.ns.fix.uid", "dlq",
        "run-1");
    String json = TerminationMessage.fit(full.summary(group));
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(1000);
    DlqInspectResult summary = DlqInspectResult.parse(json);
    assertThat(summary.snapshot()).isNull();
    assertThat(summary.partitions()).isEqualTo(200);
    assertThat(summary.resultGroup()).isEqualTo(group);
    assertThat(summary.preview().matched()).isEqualTo(600);
    assertThat(summary.preview().byPartition()).isNull();
    assertThat(summary.preview().byErrorType()).isEqualTo(Map.of("E", 600L));
    assertThat(summary.preview().samples()).hasSize(1);
    assertThat(summary.message()).isEqualTo("600 of 600 records read match");
  }

  @Test
  void aSummaryWhoseHistogramsAreTooLargeIsCutLikeAFullResult() {
    Map<String, Long> errorTypes = new TreeMap<>();
    for (int i = 0; i < 300; i++) {
      errorTypes.put("ERROR_TYPE_NUMBER_" + i, 300L - i);
    }
    DlqInspectResult full = new DlqInspectResult(List.of(new DlqInspectResult.Range(0, 0, 45150)),
        new DlqInspectResult.Preview(45150, errorTypes, Map.of(), Map.of("0", 45150L), 0, null, null, List.of()),
        "many");
    DlqInspectResult.ResultGroup group = new DlqInspectResult.ResultGroup("g", "dlq", "run");
    String json = TerminationMessage.fit(full.summary(group));
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    DlqInspectResult summary = DlqInspectResult.parse(json);
    assertThat(summary.resultGroup()).isEqualTo(group);
    assertThat(summary.partitions()).isEqualTo(1);
    assertThat(summary.message()).contains("byErrorType shows the");
  }

  @Test
  void partitionFiguresRoundTripThroughOffsetMetadataAndIgnoreForeignMetadata() {
    InspectPartition figures = new InspectPartition("run-1", 1_000_000_000L, 123_456_789L);
    String metadata = figures.toMetadata();
    assertThat(metadata).isEqualTo("{\"v\":1,\"run\":\"run-1\",\"start\":1000000000,\"matched\":123456789}");
    assertThat(InspectPartition.fromMetadata(metadata)).isEqualTo(figures);
    assertThat(InspectPartition.fromMetadata(null)).isNull();
    assertThat(InspectPartition.fromMetadata("")).isNull();
    assertThat(InspectPartition.fromMetadata("committed by kafka-consumer-groups")).isNull();
    assertThat(InspectPartition.fromMetadata("{\"v\":2,\"run\":\"r\"}")).isNull();
    assertThat(InspectPartition.fromMetadata("{\"v\":1,\"start\":3}")).isNull();
  }
}
