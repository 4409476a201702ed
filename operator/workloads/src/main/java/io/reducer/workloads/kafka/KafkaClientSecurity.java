package io.reducer.workloads.kafka;

import io.reducer.workloads.cli.SecretText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How a Kafka client authenticates and encrypts: security.protocol, a SASL username and password, PEM trust and a
 * PEM client certificate. Every workloads command reads it from the environment ({@link #fromEnv}); the operator
 * sets those variables from a ReducerPipeline's {@code spec.kafka.security}, each secret as a secretKeyRef, and
 * resolves the same spec for its own admin client through {@link #of} and {@link #properties()}, so both map a
 * setting to the same client properties.
 *
 * <p>Secret values (password, private key; the username and certificates too, as they come from the same
 * Secrets) never appear in {@link #toString()} or in an error message.
 */
public final class KafkaClientSecurity {

  /** security.protocol: PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL. */
  public static final String PROTOCOL_ENV = "KAFKA_SECURITY_PROTOCOL";
  /** sasl.mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; required with SASL_*. */
  public static final String SASL_MECHANISM_ENV = "KAFKA_SASL_MECHANISM";
  /** SASL username; required with SASL_*. */
  public static final String SASL_USERNAME_ENV = "KAFKA_SASL_USERNAME";
  /** SASL password; required with SASL_*. */
  public static final String SASL_PASSWORD_ENV = "KAFKA_SASL_PASSWORD";
  /** PEM CA certificate(s) to trust, with SSL and SASL_SSL; absent = the JVM's default trust. */
  public static final String TLS_CA_ENV = "KAFKA_TLS_CA";
  /** PEM client certificate chain for mutual TLS, with KAFKA_TLS_PRIVATE_KEY. */
  public static final String TLS_CERTIFICATE_ENV = "KAFKA_TLS_CERTIFICATE";
  /** Unencrypted PKCS#8 PEM private key of the client certificate. */
  public static final String TLS_PRIVATE_KEY_ENV = "KAFKA_TLS_PRIVATE_KEY";

  /** Every variable above, in the order of the usage text. */
  public static final List<String> VARIABLES = List.of(PROTOCOL_ENV, SASL_MECHANISM_ENV, SASL_USERNAME_ENV,
      SASL_PASSWORD_ENV, TLS_CA_ENV, TLS_CERTIFICATE_ENV, TLS_PRIVATE_KEY_ENV);

  public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  public static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  /** No security settings at all: the client's defaults (PLAINTEXT). */
  public static final KafkaClientSecurity NONE = new KafkaClientSecurity(null, null, null, null, null, null, null);

  private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  private static final String PEM_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----";

  private final String protocol;
  private final String mechanism;
  private final String username;
  private final String password;
  private final String ca;
  private final String certificate;
  private final String privateKey;

  private KafkaClientSecurity(String protocol, String mechanism, String username, String password, String ca,
      String certificate, String privateKey) {
    this.protocol = protocol;
    this.mechanism = mechanism;
    this.username = username;
    this.password = password;
    this.ca = ca;
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** The settings in the {@code KAFKA_*} variables of {@code env}; a blank variable counts as unset. */
  public static KafkaClientSecurity fromEnv(Map<String, String> env) throws KafkaSecurityException {
    return of(env.get(PROTOCOL_ENV), env.get(SASL_MECHANISM_ENV), env.get(SASL_USERNAME_ENV),
        env.get(SASL_PASSWORD_ENV), env.get(TLS_CA_ENV), env.get(TLS_CERTIFICATE_ENV), env.get(TLS_PRIVATE_KEY_ENV));
  }

  /** Like {@link #fromEnv(Map)}, with a refusal turned into the calling command's configuration error. */
  public static <E extends Exception> KafkaClientSecurity fromEnv(Map<String, String> env,
      Function<KafkaSecurityException, E> configurationError) throws E {
    try {
      return fromEnv(env);
    } catch (KafkaSecurityException e) {
      throw configurationError.apply(e);
    }
  }

  /**
   * Checks that the pieces fit together; null or blank means absent. Messages name the variable of
   * {@link #fromEnv} to fix.
   *
   * @param protocol null = PLAINTEXT, and then nothing else may be given
   */
  public static KafkaClientSecurity of(String protocol, String mechanism, String username, String password,
      String ca, String certificate, String privateKey) throws KafkaSecurityException {
    protocol = blankToNull(protocol);
    mechanism = blankToNull(mechanism);
    // The operator and the pods read the same Secret: both drop the newline `echo | base64` leaves.
    username = blankToNull(SecretText.withoutTrailingNewline(username));
    password = blankToNull(SecretText.withoutTrailingNewline(password));
    ca = blankToNull(ca);
    certificate = blankToNull(certificate);
    privateKey = blankToNull(privateKey);
    String effective = protocol == null ? "PLAINTEXT" : protocol.trim();
    if (!PROTOCOLS.contains(effective)) {
      throw new KafkaSecurityException("invalid " + PROTOCOL_ENV + " '" + effective + "': use one of "
          + String.join(", ", PROTOCOLS));
    }
    boolean sasl = effective.startsWith("SASL_");
    boolean tls = effective.endsWith("SSL");
    String setting = PROTOCOL_ENV + " is " + effective + (protocol == null ? " (not set)" : "");
    if (sasl) {
      if (mechanism == null) {
        throw new KafkaSecurityException(setting + ": set " + SASL_MECHANISM_ENV + " to one of "
            + String.join(", ", MECHANISMS));
      }
      mechanism = mechanism.trim();
      if (!MECHANISMS.contains(mechanism)) {
        throw new KafkaSecurityException("invalid " + SASL_MECHANISM_ENV + " '" + mechanism + "': use one of "
            + String.join(", ", MECHANISMS));
      }
      if (username == null || password == null) {
        throw new KafkaSecurityException(setting + ": set both " + SASL_USERNAME_ENV + " and " + SASL_PASSWORD_ENV
            + " (missing: " + (username == null ? SASL_USERNAME_ENV : SASL_PASSWORD_ENV) + ")");
      }
    } else {
      String stray = mechanism != null ? SASL_MECHANISM_ENV : username != null ? SASL_USERNAME_ENV
          : password != null ? SASL_PASSWORD_ENV : null;
      if (stray != null) {
        throw new KafkaSecurityException(stray + " is set but " + setting + ": set " + PROTOCOL_ENV
            + " to SASL_PLAINTEXT or SASL_SSL, or unset " + stray);
      }
    }
    if (!tls) {
      String stray = ca != null ? TLS_CA_ENV : certificate != null ? TLS_CERTIFICATE_ENV
          : privateKey != null ? TLS_PRIVATE_KEY_ENV : null;
      if (stray != null) {
        throw new KafkaSecurityException(stray + " is set but " + setting + ": set " + PROTOCOL_ENV
            + " to SSL or SASL_SSL, or unset " + stray);
      }
    }
    if ((certificate == null) != (privateKey == null)) {
      throw new KafkaSecurityException("mutual TLS needs both " + TLS_CERTIFICATE_ENV + " and " + TLS_PRIVATE_KEY_ENV
          + " (missing: " + (certificate == null ? TLS_CERTIFICATE_ENV : TLS_PRIVATE_KEY_ENV) + ")");
    }
    checkCertificates(TLS_CA_ENV, ca);
    checkCertificates(TLS_CERTIFICATE_ENV, certificate);
    checkPrivateKey(privateKey);
    return new KafkaClientSecurity(protocol == null ? null : effective, mechanism, username, password, ca,
        certificate, privateKey);
  }

  /**
   * The Kafka client properties of these settings, to add to a client's other properties; empty for
   * {@link #NONE}. {@code security.protocol} is set whenever a protocol was given, PLAINTEXT included.
   */
  public Map<String, Object> properties() {
    Map<String, Object> properties = new TreeMap<>();
    if (protocol == null) {
      return properties;
    }
    properties.put("security.protocol", protocol);
    if (mechanism != null) {
      String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      properties.put("sasl.mechanism", mechanism);
      properties.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(username) + "\" password=\""
          + jaasEscape(password) + "\";");
    }
    if (ca != null) {
      properties.put("ssl.truststore.type", "PEM");
      properties.put("ssl.truststore.certificates", ca);
    }
    if (certificate != null) {
      properties.put("ssl.keystore.type", "PEM");
      properties.put("ssl.keystore.certificate.chain", certificate);
      properties.put("ssl.keystore.key", privateKey);
    }
    return properties;
  }

  /** A new, mutable map of {@code bootstrap.servers} and {@link #properties()}, for a client to add to. */
  public Map<String, Object> clientProperties(String bootstrapServers) {
    Map<String, Object> client = new HashMap<>(properties());
    client.put("bootstrap.servers", bootstrapServers);
    return client;
  }

  /** What is configured, without any value from a Secret, e.g. {@code SASL_SSL SCRAM-SHA-512 ca}. */
  @Override
  public String toString() {
    if (protocol == null) {
      return "PLAINTEXT";
    }
    List<String> parts = new ArrayList<>(List.of(protocol));
    if (mechanism != null) {
      parts.add(mechanism);
    }
    if (ca != null) {
      parts.add("ca");
    }
    if (certificate != null) {
      parts.add("client-certificate");
    }
    return String.join(" ", parts);
  }

  /** Lines for a command's usage text, describing the variables. */
  public static String usage() {
    return String.join("\n",
        "Kafka security (environment only; all optional, PLAINTEXT without them):",
        "  " + PROTOCOL_ENV + "   PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL",
        "  " + SASL_MECHANISM_ENV + "      with SASL_*: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
        "  " + SASL_USERNAME_ENV + "       with SASL_*: the username",
        "  " + SASL_PASSWORD_ENV + "       with SASL_*: the password",
        "  " + TLS_CA_ENV + "              with *SSL: PEM CA certificate(s) to trust (default: the JVM's)",
        "  " + TLS_CERTIFICATE_ENV + "     with *SSL, mutual TLS: PEM client certificate chain",
        "  " + TLS_PRIVATE_KEY_ENV + "     with *SSL, mutual TLS: PEM (PKCS#8, unencrypted) client key",
        "");
  }

  /**
   * What to fix when a client failed because the broker refused its login or its TLS handshake, else null. Kafka's
   * messages for these never contain the password.
   */
  public static String authenticationHint(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
        return "the TLS handshake with the broker failed: check " + TLS_CA_ENV + " (the CA of the brokers' "
            + "certificates) and, for mutual TLS, " + TLS_CERTIFICATE_ENV + " and " + TLS_PRIVATE_KEY_ENV;
      }
      if (e instanceof org.apache.kafka.common.errors.AuthenticationException) {
        return "the broker refused the login: check " + SASL_USERNAME_ENV + ", " + SASL_PASSWORD_ENV + " and "
            + SASL_MECHANISM_ENV;
      }
    }
    return null;
  }

  /** JAAS option values are double-quoted; a quote or backslash in a value must not end it early. */
  static String jaasEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static void checkCertificates(String variable, String pem) throws KafkaSecurityException {
    if (pem != null && !pem.contains(PEM_CERTIFICATE)) {
      throw new KafkaSecurityException(variable + " is not a PEM certificate: it must contain " + PEM_CERTIFICATE);
    }
  }

  private static void checkPrivateKey(String pem) throws KafkaSecurityException {
    if (pem == null || pem.contains(PEM_PRIVATE_KEY)) {
      return;
    }
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new KafkaSecurityException(TLS_PRIVATE_KEY_ENV + " is an encrypted key: give it unencrypted "
          + "(openssl pkcs8 -topk8 -nocrypt -in key.pem)");
    }
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new KafkaSecurityException(TLS_PRIVATE_KEY_ENV + " is not PKCS#8: convert it with "
          + "openssl pkcs8 -topk8 -nocrypt -in key.pem");
    }
    throw new KafkaSecurityException(TLS_PRIVATE_KEY_ENV + " is not a PEM private key: it must contain "
        + PEM_PRIVATE_KEY);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
