package io.reducer.workloads.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaClientSecurity;

class DlqConfigTest {

  private static final Map<String, String> ENV = Map.of(
      "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
      "DLQ_TOPIC", "state-committed.dlq");

  @Test
  void replayDefaultsDeriveFromTheName() throws Exception {
    ReplayConfig config = replay(List.of("--replay-name", "ns.fix-orders"));
    assertThat(config.transactionalId()).isEqualTo("reducer-dlq-replay.ns.fix-orders");
    assertThat(config.group()).isEqualTo("reducer-dlq-replay.ns.fix-orders");
    assertThat(config.batchRecords()).isEqualTo(50_000);
    assertThat(config.batchMs()).isEqualTo(1000);
    assertThat(config.ratePerSecond()).isZero();
    assertThat(config.progressFile()).isNull();
    SelectionConfig selection = config.selection();
    assertThat(selection.maxReplays()).isEqualTo(3);
    assertThat(selection.snapshot()).isNull();
    assertThat(selection.partitions()).isNull();
    assertThat(selection.limit()).isNull();
    assertThat(selection.targetTopic()).isNull();
    assertThat(selection.correlationIds()).isEmpty();
  }

  @Test
  void flagsWinOverEnvironmentAndListsSplitAndRepeat() throws Exception {
    Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "DLQ_TOPIC", "a.dlq",
        "DLQ_CORRELATION_IDS", "from-env", "DLQ_REPLAY_NAME", "r1", "TERMINATION_LOG", "/tmp/t.json");
    ReplayConfig config = ReplayConfig.parse(DlqOptions.parse("replay", List.of("--dlq-topic=b.dlq",
        "--snapshot", "1=88, 0=120", "--partitions", "0", "--correlation-ids", "c1,c2", "--correlation-ids", "c3",
        "--include-error-types", "A,B", "--exclude-error-types", "C", "--from", "2025-10-21T12:00:00Z",
        "--to", "2025-10-21T15:00:00+02:00", "--limit", "5", "--max-replays", "2", "--target-topic", "orders",
        "--group", "g", "--rate-per-second", "100", "--batch-records", "50", "--batch-ms", "200",
        "--progress-file", "/tmp/p.json"), env), KafkaClientSecurity.NONE);
    SelectionConfig selection = config.selection();
    assertThat(selection.dlqTopic()).isEqualTo("b.dlq");
    assertThat(selection.snapshot()).containsExactly(Map.entry(0, 120L), Map.entry(1, 88L));
    assertThat(selection.partitions()).containsExactly(0);
    assertThat(selection.correlationIds()).containsExactly("c1", "c2", "c3");
    assertThat(selection.includeErrorTypes()).containsExactly("A", "B");
    assertThat(selection.excludeErrorTypes()).containsExactly("C");
    assertThat(selection.from()).isEqualTo(Instant.parse("2025-10-21T12:00:00Z"));
    assertThat(selection.to()).isEqualTo(Instant.parse("2025-10-21T13:00:00Z"));
    assertThat(selection.limit()).isEqualTo(5);
    assertThat(selection.maxReplays()).isEqualTo(2);
    assertThat(selection.targetTopic()).isEqualTo("orders");
    assertThat(selection.terminationLog()).isEqualTo(Path.of("/tmp/t.json"));
    assertThat(config.group()).isEqualTo("g");
    assertThat(config.replayName()).isEqualTo("r1");
    assertThat(config.ratePerSecond()).isEqualTo(100);
    assertThat(config.batchRecords()).isEqualTo(50);
    assertThat(config.batchMs()).isEqualTo(200);
    assertThat(config.progressFile()).isEqualTo(Path.of("/tmp/p.json"));
  }

  @Test
  void badValuesNameTheFix() {
    assertThatThrownBy(() -> replay(List.of())).hasMessageContaining("--replay-name")
        .hasMessageContaining("DLQ_REPLAY_NAME");
    assertThatThrownBy(() -> inspect(List.of("--replay-name", "x"))).hasMessageContaining("unknown option");
    assertThatThrownBy(() -> SelectionConfig.parse(DlqOptions.parse("inspect", List.of(), Map.of()),
        KafkaClientSecurity.NONE))
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    assertThatThrownBy(() -> inspect(List.of("--snapshot", "0:12"))).hasMessageContaining("partition=endOffset");
    assertThatThrownBy(() -> inspect(List.of("--snapshot", "0=1,0=2"))).hasMessageContaining("twice");
    assertThatThrownBy(() -> inspect(List.of("--snapshot", "0=-1"))).hasMessageContaining("negative");
    assertThatThrownBy(() -> inspect(List.of("--from", "yesterday"))).hasMessageContaining("RFC 3339");
    assertThatThrownBy(() -> inspect(List.of("--from", "2025-01-02T00:00:00Z", "--to", "2025-01-01T00:00:00Z")))
        .hasMessageContaining("before");
    assertThatThrownBy(() -> inspect(List.of("--include-error-types", "A", "--exclude-error-types", "A")))
        .hasMessageContaining("both included and excluded");
    assertThatThrownBy(() -> inspect(List.of("--target-topic", "state-committed.dlq")))
        .hasMessageContaining("must differ");
    assertThatThrownBy(() -> inspect(List.of("--target-topic", "bad topic"))).hasMessageContaining("[a-zA-Z0-9._-]");
    assertThatThrownBy(() -> inspect(List.of("--max-replays", "0"))).hasMessageContaining("between 1 and 100");
    assertThatThrownBy(() -> inspect(List.of("--limit", "lots"))).hasMessageContaining("whole number");
    assertThatThrownBy(() -> inspect(List.of("--limit"))).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> inspect(List.of("--limit", "1", "--limit", "2"))).hasMessageContaining("twice");
    assertThatThrownBy(() -> replay(List.of("--replay-name", "has space"))).hasMessageContaining("--replay-name");
    assertThatThrownBy(() -> replay(List.of("--replay-name", "r", "--batch-ms", "60000")))
        .hasMessageContaining("--batch-ms");
  }

  /** An id with a comma used to split into two ids, selecting other records; --correlation-id takes it whole. */
  @Test
  void aCorrelationIdWithACommaStaysOneId() throws Exception {
    assertThat(inspect(List.of("--correlation-id", "a,b", "--correlation-id=c", "--correlation-ids", "d,e"))
        .correlationIds()).containsExactlyInAnyOrder("a,b", "c", "d", "e");
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("DLQ_CORRELATION_IDS_JSON", "[\"a,b\", \"c\\\"d\"]");
    assertThat(SelectionConfig.parse(DlqOptions.parse("inspect", List.of(), env), KafkaClientSecurity.NONE)
        .correlationIds()).containsExactlyInAnyOrder("a,b", "c\"d");
    env.put("DLQ_CORRELATION_IDS_JSON", "a,b");
    assertThatThrownBy(() -> DlqOptions.parse("inspect", List.of(), env))
        .hasMessageContaining("DLQ_CORRELATION_IDS_JSON").hasMessageContaining("not JSON");
    env.put("DLQ_CORRELATION_IDS_JSON", "[1]");
    assertThatThrownBy(() -> DlqOptions.parse("inspect", List.of(), env)).hasMessageContaining("array of strings");
  }

  @Test
  void usageListsReplayOptionsOnlyForReplay() {
    assertThat(DlqOptions.usage("inspect")).contains("--snapshot").doesNotContain("--replay-name");
    assertThat(DlqOptions.usage("replay")).contains("--replay-name").contains("DLQ_RATE_PER_SECOND")
        .contains("3 fenced");
  }

  @Test
  void snapshotTextRoundTrips() throws Exception {
    assertThat(SnapshotSpec.format(SnapshotSpec.parse("2=5,0=120,1=88"))).isEqualTo("0=120,1=88,2=5");
  }

  private static SelectionConfig inspect(List<String> args) throws ConfigException {
    return SelectionConfig.parse(DlqOptions.parse("inspect", args, ENV), KafkaClientSecurity.NONE);
  }

  private static ReplayConfig replay(List<String> args) throws ConfigException {
    return ReplayConfig.parse(DlqOptions.parse("replay", args, ENV), KafkaClientSecurity.NONE);
  }
}
