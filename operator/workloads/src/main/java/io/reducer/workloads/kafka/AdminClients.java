package io.reducer.workloads.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The admin client of a one-shot command: bounded calls, so an unreachable broker fails it within the timeout. */
public final class AdminClients {

  private AdminClients() {
  }

  /**
   * @param connection bootstrap servers and security settings ({@link KafkaClientSecurity#clientProperties})
   * @param timeoutMs how long a call may take; each request gets half
   * @throws org.apache.kafka.common.KafkaException when the settings cannot make a client
   */
  public static Admin create(Map<String, Object> connection, String clientId, int timeoutMs) {
    Map<String, Object> properties = new HashMap<>(connection);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs / 2);
    properties.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return Admin.create(properties);
  }
}
