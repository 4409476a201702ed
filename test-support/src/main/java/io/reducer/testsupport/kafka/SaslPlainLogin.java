package io.reducer.testsupport.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one SASL/PLAIN user of a broker started by {@link KafkaBroker#startWithSaslPlain}: what the broker's client
 * listener accepts, and how the test's own clients log in.
 *
 * <p>The broker logs in to its own listener as the same user (the listener is also the inter-broker one), so a
 * single JAAS entry both declares the user ({@code user_<name>="<password>"}) and names the broker's login.
 */
record SaslPlainLogin(String username, String password) {

  /** Name and security protocol of the client listener. */
  static final String LISTENER = "SASL_PLAINTEXT";

  private static final String MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
  // The name becomes part of a JAAS option name (user_<name>), which allows no quoting.
  private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

  SaslPlainLogin {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException("SASL username must be 1-64 letters, digits, '.', '_' or '-': " + username);
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("SASL password must not be empty");
    }
  }

  /** server.properties entries that turn on PLAIN for the client listener with this one user. */
  Map<String, String> brokerConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("sasl.enabled.mechanisms", "PLAIN");
    c.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    c.put("listener.name." + LISTENER.toLowerCase() + ".plain.sasl.jaas.config",
        jaas() + " user_" + username + "=\"" + escape(password) + "\";");
    return c;
  }

  /** Client properties that log in as this user. */
  Map<String, Object> clientProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("security.protocol", LISTENER);
    properties.put("sasl.mechanism", "PLAIN");
    properties.put("sasl.jaas.config", jaas() + ";");
    return properties;
  }

  @Override
  public String toString() {
    return "SaslPlainLogin[" + username + "]";
  }

  private String jaas() {
    return MODULE + " required username=\"" + username + "\" password=\"" + escape(password) + "\"";
  }

  /** JAAS option values are double-quoted; a quote or backslash must not end the value early. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
