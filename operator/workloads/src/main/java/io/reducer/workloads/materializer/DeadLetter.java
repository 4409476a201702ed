package io.reducer.workloads.materializer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A poison record and why it cannot be applied. */
record DeadLetter(ConsumerRecord<byte[], byte[]> record, PoisonRecordException error, String correlationId) {
}
