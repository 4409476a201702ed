package io.reducer.e2e.scenarios;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/** The records of a dead-letter topic with their headers, as kafka-console-consumer --property print.headers shows. */
final class DeadLetters {

  /** One DLQ record: its key, value and headers (last value per name). */
  record Letter(String key, String value, Map<String, String> headers) {

    String header(String name) {
      return headers.get(name);
    }
  }

  private DeadLetters() {
  }

  /** Every record of {@code topic} up to its current end. */
  static List<Letter> read(String bootstrapServers, String topic) {
    List<Letter> letters = new ArrayList<>();
    new TopicReader(bootstrapServers).readAll(topic, record -> {
      Map<String, String> headers = new HashMap<>();
      for (Header header : record.headers()) {
        headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
      }
      letters.add(new Letter(record.key(), record.value(), headers));
    });
    return letters;
  }
}
