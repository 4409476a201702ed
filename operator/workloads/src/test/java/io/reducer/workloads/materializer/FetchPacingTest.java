package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class FetchPacingTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long T0 = 1_000 * MS;

  /** About 20,000 events/s of 300 bytes: 6 KB a ms, so 32 KiB take longer than the 5 ms pace. */
  @Test
  void aTrickleOfRecordsWaitsThePaceBeforeTheNextPoll() {
    FetchPacing pacing = new FetchPacing(5, 500);
    pacing.polled(30, 9_000, T0);
    pacing.polled(9, 2_700, T0 + MS / 2);
    assertThat(pacing.waitNanos(T0 + MS / 2)).isEqualTo(5 * MS);
    assertThat(pacing.waitNanos(T0 + 3 * MS)).isEqualTo(5 * MS / 2);
    assertThat(pacing.waitNanos(T0 + 6 * MS)).isZero();
  }

  /** At a rate where 32 KiB come in sooner than the pace, the loop waits only that long. */
  @Test
  void aFasterStreamWaitsUntilAFetchsWorthHasArrived() {
    FetchPacing pacing = new FetchPacing(5, 500);
    pacing.polled(100, 30_000, T0);
    pacing.polled(55, 16_384, T0 + MS);
    assertThat(pacing.waitNanos(T0 + MS)).isEqualTo(2 * MS);
  }

  /** Nothing came: the next fetch waits on the broker, which answers on the first record. */
  @Test
  void anEmptyPollIsFollowedAtOnce() {
    FetchPacing pacing = new FetchPacing(5, 500);
    pacing.polled(10, 3_000, T0);
    pacing.polled(0, 0, T0 + 100 * MS);
    assertThat(pacing.waitNanos(T0 + 100 * MS)).isZero();
  }

  /** A full poll, or one that already brought 32 KiB, means more is waiting: no pause, as when catching up. */
  @Test
  void aFullOrLargePollIsFollowedAtOnce() {
    FetchPacing pacing = new FetchPacing(5, 500);
    pacing.polled(10, 3_000, T0);
    pacing.polled(500, 20_000, T0 + MS);
    assertThat(pacing.waitNanos(T0 + MS)).isZero();
    pacing.polled(120, FetchPacing.ENOUGH_BYTES, T0 + 2 * MS);
    assertThat(pacing.waitNanos(T0 + 2 * MS)).isZero();
  }

  /** The first poll has no rate to go by: it waits the whole pace. */
  @Test
  void theFirstPollWithRecordsWaitsThePace() {
    FetchPacing pacing = new FetchPacing(5, 500);
    pacing.polled(1, 300, T0);
    assertThat(pacing.waitNanos(T0)).isEqualTo(5 * MS);
  }

  /** 0 turns pacing off: the loop polls again at once, as Kafka's own loop does. */
  @Test
  void zeroNeverWaits() {
    FetchPacing pacing = new FetchPacing(0, 500);
    pacing.polled(1, 300, T0);
    pacing.polled(1, 300, T0 + MS);
    assertThat(pacing.waitNanos(T0 + MS)).isZero();
  }
}
