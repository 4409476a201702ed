package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.reducer.spi.WorkflowState;

class StateCacheTest {

  private static WorkflowState row(String key, long version) {
    return new WorkflowState(key, version, "OPEN", null, null, "touch");
  }

  @Test
  void remembersTheLatestRowOfAKeyAndDropsTheLeastRecentlyUsedBeyondItsCapacity() {
    StateCache cache = new StateCache(2);
    cache.remember(List.of(row("a", 1), row("b", 1)));
    cache.remember(List.of(row("a", 2)));
    assertThat(cache.get("b")).isEqualTo(row("b", 1));
    // "a" was used before "b" was read: it is the one to go
    cache.remember(List.of(row("c", 1)));

    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("b")).isEqualTo(row("b", 1));
    assertThat(cache.get("c")).isEqualTo(row("c", 1));
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void forgetsKeysAtOnceAndEverythingWhenAskedFromAnotherThreadBeforeTheNextBatch() throws Exception {
    StateCache cache = new StateCache(10);
    cache.remember(List.of(row("a", 1), row("b", 3), row("c", 1)));
    cache.forget(List.of("b", "missing"));
    assertThat(cache.get("b")).isNull();
    assertThat(cache.size()).isEqualTo(2);

    Thread loop = new Thread(cache::clearSoon);
    loop.start();
    loop.join();
    assertThat(cache.size()).as("nothing happens until the worker looks").isEqualTo(2);
    cache.clearIfAsked();
    assertThat(cache.size()).isZero();
    cache.remember(List.of(row("d", 1)));
    cache.clearIfAsked();
    assertThat(cache.get("d")).as("one request empties it once").isEqualTo(row("d", 1));
  }

  @Test
  void rememberNothingWhenTurnedOff() {
    StateCache cache = new StateCache(0);
    cache.remember(List.of(row("a", 1)));
    assertThat(cache.get("a")).isNull();
    assertThat(cache.size()).isZero();
  }
}
