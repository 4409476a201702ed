package io.reducer.workloads.materializer;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where the time of a committed partition batch went, as {@code System.nanoTime} stamps: poll returned, batch
 * decoded, transaction started (the batch waited in between for the connection), then the stamps of its
 * {@link BatchOutcome}. For the benchmark's lag breakdown ({@link Materializer#traceBatches}); called on the thread
 * that committed the batch, after the commit. Without a trace nothing is called.
 */
interface BatchTrace {

  void committed(int partition, List<ConsumerRecord<byte[], byte[]>> records, long polledNanos, long decodedNanos,
      long startedNanos, BatchOutcome outcome);
}
