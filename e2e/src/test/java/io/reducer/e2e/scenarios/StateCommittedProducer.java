package io.reducer.e2e.scenarios;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes state-committed events as the reducer's outbox relay would, with {@code committed_at} now (the watermark lag
 * stays small). Even event n is the next version of one of {@code keys} workflows: event {@code 2m} is version
 * {@code m / keys + 1} of key {@code wf-(m % keys)}, so versions of a key only grow and the table holds upserts. Odd
 * event n is a sentinel, key {@code once-n} at version 1, the only event of its key: a later version cannot hide it,
 * so a skipped record anywhere shows as a missing row (see {@link TopicModel}). Every {@code poisonEvery}-th record
 * is poison instead, alternately not JSON and without a version, the two kinds a materializer must send to the DLQ
 * without blocking its partition.
 *
 * <p>It can produce a fixed number synchronously, or keep producing at a paced rate in the background while a
 * fault is injected. Sends outlast a broker restart (two minutes of delivery timeout).
 */
public final class StateCommittedProducer implements AutoCloseable {

  public static final String POISON_NOT_JSON = "{\"workflow_key\": this is not json";
  /** Prefix of the sentinels' keys. */
  public static final String SENTINEL = "once-";

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final int keys;
  private final int poisonEvery;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong poison = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile Thread pacer;
  private volatile boolean stopping;

  public StateCommittedProducer(String bootstrapServers, String topic, int keys, int poisonEvery) {
    this.topic = topic;
    this.keys = keys;
    this.poisonEvery = poisonEvery;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000),
        new StringSerializer(), new StringSerializer());
  }

  /** Sends {@code count} more records and waits until the broker has them all. */
  public void produce(int count) {
    for (int i = 0; i < count; i++) {
      sendNext();
    }
    flush();
  }

  /** Keeps sending {@code perSecond} records a second on a background thread until {@link #stop()}. */
  public void startPaced(int perSecond) {
    stopping = false;
    Thread thread = new Thread(() -> {
      long started = System.nanoTime();
      long sent = 0;
      while (!stopping) {
        long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
        while (sent < due && !stopping) {
          sendNext();
          sent++;
        }
        sleep(Duration.ofMillis(10));
      }
    }, "state-committed-producer");
    thread.setDaemon(true);
    pacer = thread;
    thread.start();
  }

  /** Stops the background sending and waits until everything sent is acknowledged. */
  public void stop() {
    stopping = true;
    Thread thread = pacer;
    if (thread != null) {
      try {
        thread.join(Duration.ofMinutes(3).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pacer = null;
    }
    flush();
  }

  /** Records sent so far, poison included. */
  public long sent() {
    return next.get();
  }

  @Override
  public void close() {
    stop();
    producer.close(Duration.ofSeconds(10));
  }

  private void sendNext() {
    long n = next.getAndIncrement();
    String key = n % 2 == 1 ? SENTINEL + n : "wf-" + (n / 2 % keys);
    long version = n % 2 == 1 ? 1 : n / 2 / keys + 1;
    String value;
    if (n % poisonEvery == poisonEvery - 1) {
      long kind = poison.getAndIncrement();
      value = kind % 2 == 0 ? POISON_NOT_JSON
          : "{\"workflow_key\":\"" + key + "\",\"state\":\"S" + version + "\",\"correlation_id\":\"c-" + n + "\"}";
    } else {
      value = "{\"workflow_key\":\"" + key + "\",\"version\":" + version + ",\"state\":\"S" + version
          + "\",\"namespace\":\"e2e\",\"tag\":\"t\",\"last_action\":\"advance\",\"correlation_id\":\"c-" + n
          + "\",\"committed_at\":\"" + Instant.now() + "\"}";
    }
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
    record.headers().add("correlation-id", ("c-" + n).getBytes(StandardCharsets.UTF_8));
    producer.send(record, (metadata, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      }
    });
  }

  private void flush() {
    producer.flush();
    Exception error = failure.get();
    if (error != null) {
      throw new IllegalStateException("a state-committed event was not delivered", error);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
