package io.reducer.workloads.deadletter;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** A poison record and why it cannot be applied. */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, PoisonRecordException error, String correlationId) {

  private static final String CORRELATION_HEADER = "correlation-id";

  public static String correlationHeader(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(CORRELATION_HEADER);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
