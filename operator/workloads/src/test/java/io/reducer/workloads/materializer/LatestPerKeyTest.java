package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LatestPerKeyTest {

  @Test
  void keepsTheHighestVersionPerKeyAndCountsWhatSequentialApplyWouldSkip() {
    LatestPerKey.Result result = LatestPerKey.of(List.of(
        event(0, "a", 1), event(1, "b", 5), event(2, "a", 3), event(3, "b", 4), event(4, "b", 5), event(5, "c", 2)));

    assertThat(result.latest()).extracting(StateCommitted::offset).containsExactly(2L, 1L, 5L);
    assertThat(result.rowsPerKey()).isEqualTo(Map.of("a", 2, "b", 3, "c", 1));
    // b@4 (older than b@5 before it) and b@5 again; a@1 was superseded later, which sequential apply also writes.
    assertThat(result.staleInBatch()).isEqualTo(Map.of("b", 2));
  }

  @Test
  void emptyBatch() {
    assertThat(LatestPerKey.of(List.of()).latest()).isEmpty();
  }

  private static StateCommitted event(long offset, String key, long version) {
    return new StateCommitted(offset, key, version, "S" + version, null, null, null, null, null);
  }
}
