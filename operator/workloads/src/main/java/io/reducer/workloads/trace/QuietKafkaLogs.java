package io.reducer.workloads.trace;

/**
 * Keeps the Kafka clients' INFO chatter (configuration dumps, "Subscribed to partition", app info) off stderr, so a
 * trace run says nothing there unless something is wrong; their warnings and errors still show. slf4j-simple reads
 * a logger's level from a system property when the logger is created, so this must run before the first client
 * is. A level set with {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=...} is kept.
 */
final class QuietKafkaLogs {

  static final String PROPERTY = "org.slf4j.simpleLogger.log.org.apache.kafka";

  private QuietKafkaLogs() {
  }

  static void apply() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "warn");
    }
  }
}
