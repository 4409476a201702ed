package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class WriterSharesTest {

  /** A catching-up poll goes to both connections in about equal halves, each partition to one of them, in order. */
  @Test
  void aLargePollIsSharedByRecordsWithEachPartitionInOneShare() {
    List<PollPart> parts = List.of(part(0, 900), part(1, 300), part(2, 600), part(3, 600), part(4, 0));

    List<List<PollPart>> shares = WriterShares.split(parts, 2);

    assertThat(shares).hasSize(2);
    assertThat(shares).extracting(share -> share.stream().mapToInt(p -> p.records().size()).sum())
        .containsExactlyInAnyOrder(1200, 1200);
    assertThat(shares.stream().flatMap(List::stream).map(p -> p.partition().partition()))
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    for (List<PollPart> share : shares) {
      assertThat(share).isSortedAccordingTo((a, b) -> Integer.compare(a.partition().partition(),
          b.partition().partition()));
    }
  }

  /** At an event stream's usual rate a poll is small: one transaction costs less than two. */
  @Test
  void aSmallPollStaysOneTransaction() {
    List<PollPart> parts = List.of(part(0, 40), part(1, 35), part(2, 50));

    assertThat(WriterShares.split(parts, 2)).containsExactly(parts);
    assertThat(WriterShares.split(List.of(part(0, 5000)), 4)).hasSize(1);
    assertThat(WriterShares.split(List.of(), 2)).isEmpty();
  }

  @Test
  void oneWriterTakesEverything() {
    List<PollPart> parts = List.of(part(0, 2000), part(1, 2000));

    assertThat(WriterShares.split(parts, 1)).containsExactly(parts);
  }

  @Test
  void noMoreSharesThanOnePerMinimumShareOfRecords() {
    List<PollPart> parts = new ArrayList<>();
    for (int partition = 0; partition < 6; partition++) {
      parts.add(part(partition, 100));
    }

    assertThat(WriterShares.split(parts, 8)).hasSize(600 / WriterShares.MIN_SHARE_RECORDS);
  }

  private static PollPart part(int partition, int records) {
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(Collections.nCopies(records,
        new ConsumerRecord<>("t", partition, 0, new byte[0], new byte[0])));
    return new PollPart(new TopicPartition("t", partition), Watermark.position(partition, 0, 0), records, batch,
        CompletableFuture.completedFuture(null));
  }
}
