package io.reducer.workloads.kafka;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The consumer settings every workload's consumer shares. */
public final class ConsumerSettings {

  private ConsumerSettings() {
  }

  /**
   * Read committed records only, so records of aborted transactions (a replay that failed) are never read; and the
   * operating system's receive buffer, which it sizes to the traffic, instead of the client's fixed 64 KiB. With
   * the fixed buffer a consumer busy with its transaction let the buffer fill; the broker then stopped sending and
   * only probed the closed window again after TCP's 200 ms minimum retransmission timeout, so events waited about
   * 200 ms between the broker and the poll once a second at 50,000 events/s.
   */
  public static Map<String, Object> readCommitted(Map<String, Object> properties) {
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
    return properties;
  }
}
