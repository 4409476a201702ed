package io.reducer.controller.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void keepsTheNewestAndNamesTheRestOldestFirst() {
    List<Retention.Finished> finished = List.of(
        new Retention.Finished("b", T0.plusSeconds(20)),
        new Retention.Finished("a", T0.plusSeconds(10)),
        new Retention.Finished("d", T0.plusSeconds(40)),
        new Retention.Finished("c", T0.plusSeconds(30)));

    assertThat(Retention.beyondLimit(finished, 2)).containsExactly("a", "b");
    assertThat(Retention.beyondLimit(finished, 4)).isEmpty();
    assertThat(Retention.beyondLimit(finished, 0)).containsExactly("a", "b", "c", "d");
  }
}
