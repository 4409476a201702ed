package io.reducer.workloads.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.Main;

class KafkaClientSecurityTest {

  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
  private static final String CHAIN = "-----BEGIN CERTIFICATE-----\nMIIBleaf\n-----END CERTIFICATE-----\n"
      + "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
  private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQsecretkey\n-----END PRIVATE KEY-----\n";

  @Test
  void nothingSetMeansTheClientDefaults() throws Exception {
    KafkaClientSecurity security = KafkaClientSecurity.fromEnv(Map.of("PGPASSWORD", "x"));

    assertThat(security.properties()).isEmpty();
    assertThat(security.clientProperties("kafka:9092")).containsExactly(Map.entry("bootstrap.servers", "kafka:9092"));
    assertThat(security).hasToString("PLAINTEXT");
  }

  @Test
  void explicitPlaintextSetsOnlyTheProtocol() throws Exception {
    assertThat(KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")).properties())
        .containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
  }

  @Test
  void saslPlaintextWithPlain() throws Exception {
    Map<String, Object> properties = KafkaClientSecurity.fromEnv(sasl("SASL_PLAINTEXT", "PLAIN", "reducer", "s3cret"))
        .properties();

    assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"reducer\""
            + " password=\"s3cret\";"));
  }

  @Test
  void eachScramMechanismUsesTheScramModule() throws Exception {
    for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
      Map<String, Object> properties = KafkaClientSecurity.fromEnv(sasl("SASL_PLAINTEXT", mechanism, "u", "p"))
          .properties();

      assertThat(properties).containsEntry("sasl.mechanism", mechanism).containsEntry("sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
    }
  }

  @Test
  void quotesAndBackslashesCannotEndAJaasValueEarly() throws Exception {
    Map<String, Object> properties = KafkaClientSecurity.fromEnv(
        sasl("SASL_PLAINTEXT", "PLAIN", "we\"ird\\user", "p\"ss\\word\\")).properties();

    assertThat(properties.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule"
        + " required username=\"we\\\"ird\\\\user\" password=\"p\\\"ss\\\\word\\\\\";");
  }

  @Test
  void sslWithCaOnlyTrustsThePem() throws Exception {
    Map<String, Object> properties = KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
        "KAFKA_TLS_CA", CA)).properties();

    assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.of("security.protocol", "SSL",
        "ssl.truststore.type", "PEM", "ssl.truststore.certificates", CA));
  }

  @Test
  void sslWithoutCaUsesTheJvmTrust() throws Exception {
    assertThat(KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL")).properties())
        .containsExactly(Map.entry("security.protocol", "SSL"));
  }

  @Test
  void saslSslWithMutualTlsSetsEverything() throws Exception {
    Map<String, String> env = sasl("SASL_SSL", "SCRAM-SHA-512", "reducer", "s3cret");
    env.put("KAFKA_TLS_CA", CA);
    env.put("KAFKA_TLS_CERTIFICATE", CHAIN);
    env.put("KAFKA_TLS_PRIVATE_KEY", KEY);

    KafkaClientSecurity security = KafkaClientSecurity.fromEnv(env);

    assertThat(security.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"reducer\""
            + " password=\"s3cret\";",
        "ssl.truststore.type", "PEM",
        "ssl.truststore.certificates", CA,
        "ssl.keystore.type", "PEM",
        "ssl.keystore.certificate.chain", CHAIN,
        "ssl.keystore.key", KEY));
    assertThat(security).hasToString("SASL_SSL SCRAM-SHA-512 ca client-certificate");
    assertThat(security.toString()).doesNotContain("reducer").doesNotContain("s3cret").doesNotContain("MIIB");
  }

  @Test
  void blankVariablesCountAsUnset() throws Exception {
    Map<String, String> env = sasl("SASL_PLAINTEXT", "PLAIN", "u", "p");
    env.put("KAFKA_TLS_CA", " ");
    env.put("KAFKA_TLS_CERTIFICATE", "");

    assertThat(KafkaClientSecurity.fromEnv(env).properties()).doesNotContainKey("ssl.truststore.type");
  }

  @Test
  void saslWithoutCredentialsOrMechanismSaysWhatToSet() {
    assertRefused(sasl("SASL_PLAINTEXT", "PLAIN", "u", null), "KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT: set both "
        + "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (missing: KAFKA_SASL_PASSWORD)");
    assertRefused(sasl("SASL_SSL", "PLAIN", null, "p"), "(missing: KAFKA_SASL_USERNAME)");
    assertRefused(sasl("SASL_SSL", null, "u", "p"),
        "KAFKA_SECURITY_PROTOCOL is SASL_SSL: set KAFKA_SASL_MECHANISM to one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    assertRefused(sasl("SASL_SSL", "GSSAPI", "u", "p"), "invalid KAFKA_SASL_MECHANISM 'GSSAPI'");
  }

  @Test
  void settingsThatTheProtocolDoesNotUseAreRefused() {
    assertRefused(sasl(null, "PLAIN", "u", "p"), "KAFKA_SASL_MECHANISM is set but KAFKA_SECURITY_PROTOCOL is "
        + "PLAINTEXT (not set): set KAFKA_SECURITY_PROTOCOL to SASL_PLAINTEXT or SASL_SSL, or unset "
        + "KAFKA_SASL_MECHANISM");
    assertRefused(sasl("SSL", null, null, "p"), "KAFKA_SASL_PASSWORD is set but KAFKA_SECURITY_PROTOCOL is SSL");
    assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM", "PLAIN",
        "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p", "KAFKA_TLS_CA", CA),
        "KAFKA_TLS_CA is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT: set KAFKA_SECURITY_PROTOCOL to SSL or "
            + "SASL_SSL, or unset KAFKA_TLS_CA");
    assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS"), "invalid KAFKA_SECURITY_PROTOCOL 'TLS': use one of "
        + "PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
  }

  @Test
  void badPemIsRefusedWithoutQuotingIt() {
    assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_TLS_CERTIFICATE", CHAIN),
        "mutual TLS needs both KAFKA_TLS_CERTIFICATE and KAFKA_TLS_PRIVATE_KEY (missing: KAFKA_TLS_PRIVATE_KEY)");
    assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_TLS_CA", "not a pem"),
        "KAFKA_TLS_CA is not a PEM certificate");
    assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_TLS_CERTIFICATE", CHAIN, "KAFKA_TLS_PRIVATE_KEY",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkey\n"), "KAFKA_TLS_PRIVATE_KEY is not PKCS#8");
    assertRefused(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_TLS_CERTIFICATE", CHAIN, "KAFKA_TLS_PRIVATE_KEY",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIEsecretkey\n"), "KAFKA_TLS_PRIVATE_KEY is an encrypted key");
  }

  @Test
  void authenticationFailuresNameTheVariablesToCheck() {
    assertThat(KafkaClientSecurity.authenticationHint(new RuntimeException(
        new SaslAuthenticationException("Authentication failed: Invalid username or password"))))
        .contains("KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD");
    assertThat(KafkaClientSecurity.authenticationHint(new SslAuthenticationException("handshake")))
        .contains("KAFKA_TLS_CA");
    assertThat(KafkaClientSecurity.authenticationHint(new RuntimeException("timeout"))).isNull();
  }

  /** Every command refuses bad security settings before connecting: exit code 2, the fix on stderr, no secret. */
  @Test
  void everyCommandExitsWithBadConfigurationAndNeverPrintsTheSecret() {
    Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9",
        "MATERIALIZER_TOPIC", "t", "MATERIALIZER_DLQ_TOPIC", "t.dlq", "MATERIALIZER_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:9/db", "PGUSER", "u", "RESET_TOPIC", "t", "RESET_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:9/db", "RESET_TARGET", "earliest", "DLQ_TOPIC", "t.dlq"));
    env.put("DLQ_REPLAY_NAME", "r");
    env.putAll(sasl("SASL_PLAINTEXT", "SCRAM-SHA-256", null, "hunter2-secret"));
    for (List<String> command : List.of(List.of("materialize"), List.of("offsets", "reset"),
        List.of("dlq", "inspect", "--termination-log", "/dev/null"),
        List.of("dlq", "replay", "--termination-log", "/dev/null"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int code = Main.run(command, env, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));

      String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
      assertThat(code).as(String.join(" ", command)).isEqualTo(ExitCodes.BAD_CONFIGURATION);
      assertThat(printed).as(String.join(" ", command)).contains("(missing: KAFKA_SASL_USERNAME)")
          .doesNotContain("hunter2");
    }
  }

  @Test
  void everyUsageTextListsTheVariables() {
    for (List<String> command : List.of(List.of("materialize", "--help"), List.of("offsets", "reset", "--help"),
        List.of("dlq", "inspect", "--help"), List.of("dlq", "replay", "--help"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Main.run(command, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

      assertThat(out.toString(StandardCharsets.UTF_8)).as(String.join(" ", command))
          .contains(KafkaClientSecurity.VARIABLES);
    }
  }

  private static Map<String, String> sasl(String protocol, String mechanism, String user, String password) {
    Map<String, String> env = new HashMap<>();
    put(env, "KAFKA_SECURITY_PROTOCOL", protocol);
    put(env, "KAFKA_SASL_MECHANISM", mechanism);
    put(env, "KAFKA_SASL_USERNAME", user);
    put(env, "KAFKA_SASL_PASSWORD", password);
    return env;
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }

  private static void assertRefused(Map<String, String> env, String message) {
    assertThatThrownBy(() -> KafkaClientSecurity.fromEnv(env))
        .isInstanceOf(KafkaSecurityException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secretkey").doesNotContain("MIIB"));
  }
}
