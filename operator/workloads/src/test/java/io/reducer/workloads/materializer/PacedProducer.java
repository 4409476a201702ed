package io.reducer.workloads.materializer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Produces {@code records} events in the background, each key's versions going up by one, about 2,000 records a
 * second. The expected projection is then the last version per key, and a record applied twice would show up
 * as a skipped duplicate.
 */
final class PacedProducer {

  private final Map<String, Long> lastVersion = new HashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private final CompletableFuture<Void> done;

  PacedProducer(TestCluster cluster, String topic, int keys, int records) {
    this(cluster, topic, keys, records, records);
  }

  /**
   * Stops after {@code holdAt} records until {@link #release}: a test that acts "while producing" then does not
   * depend on how fast the machine is.
   */
  PacedProducer(TestCluster cluster, String topic, int keys, int records, int holdAt) {
    done = CompletableFuture.runAsync(() -> {
      try (KafkaProducer<String, String> producer = cluster.producer()) {
        for (int i = 0; i < records; i++) {
          if (i == holdAt) {
            producer.flush();
            released.await();
          }
          String key = "wf-" + (i % keys);
          producer.send(TestEvents.event(topic, key, lastVersion.merge(key, 1L, Long::sum)));
          if (i % 20 == 19) {
            Thread.sleep(10);
          }
        }
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  /** Lets a holding producer go on. */
  void release() {
    released.countDown();
  }

  boolean isDone() {
    return done.isDone();
  }

  /** Waits for the last acknowledgement and returns key -> "version:state", what the projection must hold. */
  Map<String, String> awaitModel() throws Exception {
    done.get(120, TimeUnit.SECONDS);
    Map<String, String> model = new HashMap<>();
    lastVersion.forEach((key, version) -> model.put(key, version + ":" + TestEvents.state(version)));
    return model;
  }
}
