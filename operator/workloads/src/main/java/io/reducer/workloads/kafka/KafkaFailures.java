package io.reducer.workloads.kafka;

/** Messages for Kafka clients that cannot be created or cannot connect, each naming what to fix. */
public final class KafkaFailures {

  private KafkaFailures() {
  }

  /** A client constructor refused its settings: a malformed address, an unresolvable host or unusable PEM. */
  public static String invalidClient(String bootstrapServers, Throwable e) {
    return "cannot create a Kafka client for '" + bootstrapServers + "': fix --bootstrap-servers "
        + "(KAFKA_BOOTSTRAP_SERVERS), e.g. kafka:9092, or the KAFKA_TLS_* certificates (" + rootMessage(e) + ")";
  }

  /** The first request to the cluster failed or timed out: a refused login, a wrong address or protocol. */
  public static String unreachable(String bootstrapServers, long timeoutMs, Throwable e) {
    String hint = KafkaClientSecurity.authenticationHint(e);
    if (hint != null) {
      return "cannot connect to Kafka at " + bootstrapServers + ": " + hint + " (" + rootMessage(e) + ")";
    }
    return "cannot reach Kafka at " + bootstrapServers + " within " + timeoutMs / 1000 + " s: check "
        + "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS), that the brokers are up and that "
        + KafkaClientSecurity.PROTOCOL_ENV + " matches their listener (" + rootMessage(e) + ")";
  }

  /** The innermost cause's class and message. */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
