package io.reducer.e2e.scenarios;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer that joins a projection's consumer group and stays in it (polling on its own thread) until closed:
 * a forgotten console consumer or a materializer outside Kubernetes, which a reset must wait for. Closing it
 * leaves the group at once.
 */
final class LiveGroupMember implements AutoCloseable {

  static final String CLIENT_ID = "forgotten-console-consumer";

  private final Thread poller;
  private volatile boolean closing;

  LiveGroupMember(String bootstrapServers, String group, String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    poller = new Thread(() -> {
      // A consumer belongs to one thread: created, polled and closed here.
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
          new StringDeserializer())) {
        consumer.subscribe(List.of(topic));
        while (!closing) {
          consumer.poll(Duration.ofMillis(100));
        }
      }
    }, "live-group-member");
    poller.setDaemon(true);
    poller.start();
  }

  @Override
  public void close() {
    closing = true;
    try {
      poller.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
