package io.reducer.workloads.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ReplayerTest {

  @Test
  void everyWayTheCoordinatorReportsATakeOverCountsAsFenced() {
    assertThat(Replayer.isFenced(new ProducerFencedException("newer epoch"))).isTrue();
    assertThat(Replayer.isFenced(new InvalidProducerEpochException("old epoch"))).isTrue();
    // A commit racing the abort a newer process's initTransactions started (transactions v2).
    assertThat(Replayer.isFenced(new KafkaException("commit failed",
        new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state.")))).isTrue();
  }

  @Test
  void otherFailuresAreNotFencing() {
    assertThat(Replayer.isFenced(new TimeoutException("no coordinator"))).isFalse();
    assertThat(Replayer.isFenced(new KafkaException("broken", new IllegalStateException("x")))).isFalse();
  }
}
