package io.reducer.workloads.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ReplayLedgerTest {

  @Test
  void recordsRoundTripAndAnOffsetKeepsItsFirstReplay() {
    ReplayLedger writer = new ReplayLedger("orders.dlq", "orders.dlq.replayed");
    ReplayLedger.Pending pending = new ReplayLedger.Pending();
    for (long offset : new long[] {3, 4, 5, 9}) {
      pending.sent(0, offset);
    }
    pending.sent(2, 7);
    assertThat(pending.spans().get(0)).containsExactly(new long[] {3, 6}, new long[] {9, 10});

    ReplayLedger reader = new ReplayLedger("orders.dlq", "orders.dlq.replayed");
    pending.spans().forEach((partition, spans) -> writer.records("shop.first", partition, spans)
        .forEach(record -> reader.load(record.value())));
    reader.add("shop.second", 0, 0, 12);

    assertThat(reader.replayedBy(0, 2)).isEqualTo("shop.second");
    assertThat(reader.replayedBy(0, 3)).isEqualTo("shop.first");
    assertThat(reader.replayedBy(0, 5)).isEqualTo("shop.first");
    assertThat(reader.replayedBy(0, 6)).isEqualTo("shop.second");
    assertThat(reader.replayedBy(0, 9)).isEqualTo("shop.first");
    assertThat(reader.replayedBy(0, 12)).isNull();
    assertThat(reader.replayedBy(2, 7)).isEqualTo("shop.first");
    assertThat(reader.replayedBy(1, 7)).isNull();
  }

  @Test
  void entriesOfAnotherDlqOrForeignValuesAreIgnoredAndLargeTransactionsAreChunked() {
    ReplayLedger other = new ReplayLedger("other.dlq", "shared.ledger");
    ReplayLedger ledger = new ReplayLedger("orders.dlq", "shared.ledger");
    other.records("x", 0, List.<long[]>of(new long[] {0, 5})).forEach(r -> ledger.load(r.value()));
    ledger.load("not json".getBytes());
    ledger.load(null);
    assertThat(ledger.replayedBy(0, 1)).isNull();
    assertThat(ledger.entries()).isZero();

    ReplayLedger.Pending sparse = new ReplayLedger.Pending();
    for (int i = 0; i < ReplayLedger.SPANS_PER_RECORD + 1; i++) {
      sparse.sent(0, 2L * i);
    }
    List<ProducerRecord<byte[], byte[]>> records = ledger.records("r", 0, sparse.spans().get(0));
    assertThat(records).hasSize(2).allSatisfy(r -> assertThat(r.topic()).isEqualTo("shared.ledger"));
    records.forEach(r -> ledger.load(r.value()));
    assertThat(ledger.replayedBy(0, 2L * ReplayLedger.SPANS_PER_RECORD)).isEqualTo("r");
    assertThat(ledger.replayedBy(0, 1)).isNull();
  }
}
