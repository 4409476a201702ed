package io.reducer.workloads.materializer;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Fetch requests the Kafka consumers of this JVM sent so far, from their {@code fetch-total} metric. */
final class ConsumerFetches {

  private ConsumerFetches() {
  }

  /** Of the consumers whose client id starts with {@code clientIdPrefix}. */
  static double total(String clientIdPrefix) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double fetches = 0;
    for (ObjectName name : server.queryNames(new ObjectName(
        "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=" + clientIdPrefix + "*"), null)) {
      fetches += ((Number) server.getAttribute(name, "fetch-total")).doubleValue();
    }
    return fetches;
  }
}
