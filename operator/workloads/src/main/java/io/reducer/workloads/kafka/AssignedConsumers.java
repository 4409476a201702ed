package io.reducer.workloads.kafka;

import java.time.Duration;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;

/** Consumers that read assigned partitions to an end, commit nothing through the consumer and join no group. */
public final class AssignedConsumers {

  private AssignedConsumers() {
  }

  /**
   * Closes without waiting. Such a consumer has nothing to commit or leave, so nothing is lost; a graceful close
   * would wait for the fetch the consumer keeps in flight, which the broker holds for {@code fetch.max.wait.ms}
   * (500 ms) once the partitions are read to their end: half a second added to every command that reads a range.
   * A fetch session the broker may still hold for it is evicted in time, as those of killed clients are.
   */
  public static void close(Consumer<?, ?> consumer) {
    consumer.close(CloseOptions.timeout(Duration.ZERO));
  }
}
