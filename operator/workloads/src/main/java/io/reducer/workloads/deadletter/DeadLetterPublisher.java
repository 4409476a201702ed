package io.reducer.workloads.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends poison records to the DLQ with the original key, value and headers, plus headers saying what failed and
 * where the record came from, and waits until the broker acknowledged them.
 */
public final class DeadLetterPublisher implements AutoCloseable {

  public static final String ERROR_TYPE = "x-error-type";
  public static final String ERROR_MESSAGE = "x-error-message";
  public static final String EXCEPTION_CLASS = "x-exception-class";
  public static final String ORIGINAL_TOPIC = "x-original-topic";
  public static final String ORIGINAL_PARTITION = "x-original-partition";
  public static final String ORIGINAL_OFFSET = "x-original-offset";
  public static final String CORRELATION_ID = "x-correlation-id";
  private static final List<String> OWN_HEADERS = List.of(ERROR_TYPE, ERROR_MESSAGE, EXCEPTION_CLASS,
      ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET, CORRELATION_ID);
  private static final long ACK_TIMEOUT_MS = 60_000;
  private static final int MAX_MESSAGE_CHARS = 1000;

  private final String topic;
  private final Producer<byte[], byte[]> producer;

  /** @param connection bootstrap servers and security settings, which this producer extends */
  public DeadLetterPublisher(Map<String, Object> connection, String topic, String clientId) {
    this.topic = topic;
    Map<String, Object> properties = new HashMap<>(connection);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Returns once every record is acknowledged; throws otherwise, and the caller then rolls back the batch. A
   * crash between this acknowledgement and the database commit replays the batch and sends the same poison
   * records again: the DLQ is at-least-once, and its consumers must tolerate duplicates (the origin headers
   * identify them).
   */
  public void publish(List<DeadLetter> letters) throws DeadLetterException {
    if (letters.isEmpty()) {
      return;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (DeadLetter letter : letters) {
      acks.add(producer.send(toRecord(letter)));
    }
    producer.flush();
    try {
      for (Future<RecordMetadata> ack : acks) {
        ack.get(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      throw new DeadLetterException("DLQ topic " + topic + " did not acknowledge: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new DeadLetterException("DLQ topic " + topic + " did not acknowledge within " + ACK_TIMEOUT_MS + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterException("interrupted while waiting for the DLQ", e);
    }
  }

  public ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
    ConsumerRecord<byte[], byte[]> original = letter.record();
    Headers headers = new RecordHeaders(original.headers().toArray());
    OWN_HEADERS.forEach(headers::remove);
    PoisonRecordException error = letter.error();
    String message = String.valueOf(error.getMessage());
    add(headers, ERROR_TYPE, error.errorType());
    add(headers, ERROR_MESSAGE, message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message);
    add(headers, EXCEPTION_CLASS, error.exceptionClass());
    add(headers, ORIGINAL_TOPIC, original.topic());
    add(headers, ORIGINAL_PARTITION, Integer.toString(original.partition()));
    add(headers, ORIGINAL_OFFSET, Long.toString(original.offset()));
    if (letter.correlationId() != null) {
      add(headers, CORRELATION_ID, letter.correlationId());
    }
    return new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
  }

  @Override
  public void close() {
    producer.close();
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
