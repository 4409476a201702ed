package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.dlq.format.DlqFormats;
import io.reducer.workloads.dlq.format.DlqRecord;

/**
 * What the materializer writes to its DLQ is what a replay reads back: if DeadLetterPublisher gains a header,
 * the replay must learn to drop it, and this test says so.
 */
class DeadLetterFormatRoundTripTest {

  @Test
  void aReplayReadsBackExactlyTheFailedRecord() {
    RecordHeaders original = new RecordHeaders();
    original.add("correlation-id", "c-7".getBytes(StandardCharsets.UTF_8));
    original.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> failed = new ConsumerRecord<>("state-committed", 4, 1234, 0L,
        TimestampType.CREATE_TIME, 4, 4, "wf-1".getBytes(StandardCharsets.UTF_8),
        "{bad".getBytes(StandardCharsets.UTF_8), original, Optional.empty());
    PoisonRecordException error = new PoisonRecordException(PoisonRecordException.DESERIALIZATION, "not JSON");

    ProducerRecord<byte[], byte[]> written;
    try (DeadLetterPublisher publisher = new DeadLetterPublisher(Map.of("bootstrap.servers", "127.0.0.1:9"),
        "state-committed.dlq", "test-dlq")) {
      written = publisher.toRecord(new DeadLetter(failed, error, "c-7"));
    }
    ConsumerRecord<byte[], byte[]> inDlq = new ConsumerRecord<>("state-committed.dlq", 0, 5, 9L,
        TimestampType.CREATE_TIME, 4, 4, written.key(), written.value(), written.headers(), Optional.empty());

    DlqRecord read = DlqFormats.read(inDlq);

    assertThat(read.format()).isEqualTo("materializer");
    assertThat(read.targetTopic()).isEqualTo("state-committed");
    assertThat(read.key()).isEqualTo(failed.key());
    assertThat(read.value()).isEqualTo(failed.value());
    assertThat(read.headers()).containsExactly(original.toArray());
    assertThat(read.headers().stream().map(Header::key)).noneMatch(name -> name.startsWith("x-"));
    assertThat(read.errorType()).isEqualTo(PoisonRecordException.DESERIALIZATION);
    assertThat(read.correlationId()).isEqualTo("c-7");
    assertThat(read.originalPartition()).isEqualTo(4);
    assertThat(read.originalOffset()).isEqualTo(1234L);
  }
}
