package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionSizerTest {

  /** A backlog on a machine where a transaction costs {@code msPerAction} per action plus a fixed part. */
  private static void backlog(TransactionSizer sizer, double msPerAction, int transactions) {
    for (int i = 0; i < transactions; i++) {
      int actions = sizer.size();
      sizer.committed(actions, true, 0.5 + actions * msPerAction);
    }
  }

  @Test
  void startsAtTheMaximumAndStaysThereWhileTheTargetIsMet() {
    TransactionSizer sizer = new TransactionSizer(175, 8);
    assertThat(sizer.size()).isEqualTo(175);
    backlog(sizer, 0.035, 500); // 6.6 ms for 175 actions
    assertThat(sizer.size()).isEqualTo(175);
  }

  @Test
  void aSlowerMachineGetsSmallerTransactionsThatMeetTheTargetAndTheyGrowBackWhenItIsFastAgain() {
    TransactionSizer sizer = new TransactionSizer(175, 8);
    backlog(sizer, 0.060, 500); // 11 ms for 175 actions
    assertThat(sizer.size()).isBetween(100, 132);
    assertThat(0.5 + sizer.size() * 0.060).isLessThanOrEqualTo(8.0);

    backlog(sizer, 0.030, 1000);
    assertThat(sizer.size()).isEqualTo(175);
  }

  @Test
  void onlyTransactionsCutFromALargerBatchCountAndNothingChangesBeforeAWindowIsFull() {
    TransactionSizer sizer = new TransactionSizer(175, 8);
    for (int i = 0; i < 1000; i++) {
      sizer.committed(175, false, 50); // a reducer that keeps up: slow, but not because of the size
      sizer.committed(40, true, 50); // the rest of a cut batch
    }
    assertThat(sizer.size()).isEqualTo(175);
    for (int i = 0; i < TransactionSizer.WINDOW - 1; i++) {
      sizer.committed(175, true, 50);
    }
    assertThat(sizer.size()).isEqualTo(175);
    sizer.committed(175, true, 50);
    assertThat(sizer.size()).isLessThan(175);
  }

  @Test
  void aSpikeInAFewTransactionsOfAWindowDoesNotShrinkIt() {
    TransactionSizer sizer = new TransactionSizer(175, 8);
    for (int i = 0; i < TransactionSizer.WINDOW; i++) {
      sizer.committed(175, true, i == 3 ? 200 : 6.5); // one stall: above p95's reach in a window of 32
    }
    assertThat(sizer.size()).isEqualTo(175);
  }

  @Test
  void neverBelowHalfTheMaximumAndATargetOfZeroKeepsTheMaximum() {
    TransactionSizer sizer = new TransactionSizer(175, 8);
    backlog(sizer, 5, 2000);
    assertThat(sizer.size()).isEqualTo(87);

    TransactionSizer fixed = new TransactionSizer(175, 0);
    backlog(fixed, 5, 2000);
    assertThat(fixed.size()).isEqualTo(175);
  }
}
