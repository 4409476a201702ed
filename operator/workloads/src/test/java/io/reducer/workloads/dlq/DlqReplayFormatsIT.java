package io.reducer.workloads.dlq;

import static io.reducer.workloads.dlq.DlqTestRecords.headers;
import static io.reducer.workloads.dlq.DlqTestRecords.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.ExitCodes;

/** Each DLQ format replays to the right topic with key, value and headers as specified; a real broker. */
class DlqReplayFormatsIT {

  private static KafkaBroker broker;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void everyFormatGoesToItsOriginalTopicWithItsOwnKeyValueAndHeaders() throws Exception {
    String dlq = "formats.dlq";
    broker.createTopic(dlq, 1);
    for (String topic : List.of("state-committed", "stamping.generate.v1", "orders", "payments")) {
      broker.createTopic(topic, 2);
    }
    Map<String, String> original = headers("correlation-id", "c-1", "traceparent", "00-abc-01");
    List<ProducerRecord<byte[], byte[]>> records = List.of(
        DlqTestRecords.materializer(dlq, null, null, "wf-1", "{\"workflow_key\":\"wf-1\"}", "state-committed",
            "DESERIALIZATION_ERROR", "c-1", original),
        DlqTestRecords.envelope(dlq, "file-7", "stamping.generate.v1",
            "{\"file_path\": \"/src/a.py\", \"size\": 1.50}", "SERVICE_UNAVAILABLE", "c-2"),
        DlqTestRecords.connect(dlq, "order-3", "{\"order\":3}", "orders", headers("app", "sink")),
        DlqTestRecords.spring(dlq, "pay-4", "{\"payment\":4}", "payments", headers("__TypeId__", "com.example.Pay")),
        // Unroutable: no origin at all, and an envelope without original_topic.
        new ProducerRecord<>(dlq, DlqTestRecords.bytes("raw"), DlqTestRecords.bytes("who knows")),
        DlqTestRecords.envelope(dlq, "k", null, "{}", "E", "c-6"),
        // Replayed three times already: the loop guard keeps it.
        DlqTestRecords.materializer(dlq, null, null, "wf-loop", "{}", "state-committed", "VALIDATION_ERROR", null,
            headers("x-replay-name", "older", "x-replay-count", "3")));
    DlqTestKafka.produce(broker, records);

    DlqCli run = DlqCli.run(dir, Map.of(), "replay", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", dlq, "--replay-name", "formats");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    DlqReplayResult result = run.replayResult();
    assertThat(result.result()).isEqualTo(DlqReplayResult.SUCCEEDED);
    assertThat(result.progress()).isEqualTo(new DlqReplayResult.Progress(7, 4, 3,
        Map.of("maxReplays", 1L, "unroutable", 2L), 0));

    ConsumerRecord<byte[], byte[]> materialized = only("state-committed");
    assertThat(text(materialized.key())).isEqualTo("wf-1");
    assertThat(text(materialized.value())).isEqualTo("{\"workflow_key\":\"wf-1\"}");
    assertThat(DlqTestKafka.headers(materialized)).containsExactly("correlation-id=c-1", "traceparent=00-abc-01",
        "x-replay-name=formats", "x-replay-count=1", "x-replay-source=formats.dlq:0:0");

    ConsumerRecord<byte[], byte[]> stamped = only("stamping.generate.v1");
    assertThat(text(stamped.key())).isEqualTo("file-7");
    assertThat(text(stamped.value())).isEqualTo("{\"file_path\": \"/src/a.py\", \"size\": 1.50}");
    assertThat(DlqTestKafka.headers(stamped)).containsExactly("correlation-id=c-2", "x-replay-name=formats",
        "x-replay-count=1", "x-replay-source=formats.dlq:0:1");

    ConsumerRecord<byte[], byte[]> order = only("orders");
    assertThat(text(order.key())).isEqualTo("order-3");
    assertThat(text(order.value())).isEqualTo("{\"order\":3}");
    assertThat(DlqTestKafka.headers(order)).containsExactly("app=sink", "x-replay-name=formats",
        "x-replay-count=1", "x-replay-source=formats.dlq:0:2");

    ConsumerRecord<byte[], byte[]> payment = only("payments");
    assertThat(text(payment.key())).isEqualTo("pay-4");
    assertThat(text(payment.value())).isEqualTo("{\"payment\":4}");
    assertThat(DlqTestKafka.headers(payment)).containsExactly("__TypeId__=com.example.Pay", "x-replay-name=formats",
        "x-replay-count=1", "x-replay-source=formats.dlq:0:3");
  }

  @Test
  void aTargetTopicRoutesEveryRecordThereAndARecordThatFailsAgainCountsItsReplays() throws Exception {
    String dlq = "override.dlq";
    broker.createTopic(dlq, 1);
    broker.createTopic("override-target", 1);
    DlqTestKafka.produce(broker, List.of(
        new ProducerRecord<>(dlq, DlqTestRecords.bytes("raw"), DlqTestRecords.bytes("no origin")),
        DlqTestRecords.materializer(dlq, null, null, "wf-2", "{}", "state-committed", "E", null,
            headers("x-replay-name", "earlier", "x-replay-count", "1", "x-replay-source", "old.dlq:0:9"))));

    DlqCli run = DlqCli.run(dir, Map.of(), "replay", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", dlq, "--replay-name", "override", "--target-topic", "override-target");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    List<ConsumerRecord<byte[], byte[]>> replayed = DlqTestKafka.readAll(broker, "override-target", true);
    assertThat(replayed).hasSize(2);
    assertThat(DlqTestKafka.headers(replayed.get(0))).containsExactly("x-replay-name=override", "x-replay-count=1",
        "x-replay-source=override.dlq:0:0");
    // The earlier provenance is replaced, not repeated; the count goes on from it.
    assertThat(DlqTestKafka.headers(replayed.get(1))).containsExactly("x-replay-name=override", "x-replay-count=2",
        "x-replay-source=override.dlq:0:1");
  }

  private static ConsumerRecord<byte[], byte[]> only(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = DlqTestKafka.readAll(broker, topic, true);
    assertThat(records).as(topic).hasSize(1);
    return records.get(0);
  }
}
