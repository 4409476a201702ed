package io.reducer.workloads.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.kafka.KafkaClientSecurity;

/**
 * dlq inspect and replay against a broker whose only client listener is SASL_PLAINTEXT with PLAIN, configured
 * through environment variables alone, as the operator's Jobs are: with the right password they read, and replay
 * through a transactional producer; with a wrong one they stop at once with a configuration error that names the
 * variables to check and never the password.
 */
class DlqSaslIT {

  private static final String USER = "reducer";
  // A quote and a backslash: the JAAS value must be escaped on its way from the variable to the client.
  private static final String PASSWORD = "s3cr\"et\\pw";
  private static final String DLQ = "secured.dlq";
  private static final String TARGET = "secured-target";
  private static final int RECORDS = 6;

  private static KafkaBroker broker;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.startWithSaslPlain(USER, PASSWORD);
    broker.createTopic(DLQ, 2);
    broker.createTopic(TARGET, 2);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(DlqTestRecords.materializer(DLQ, i % 2, null, "k" + i, "v" + i, TARGET, "E", "c" + i, Map.of()));
    }
    DlqTestKafka.produce(broker, records);
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theRightPasswordInspectsAndReplaysExactlyOnce() throws Exception {
    Map<String, String> env = env(PASSWORD);

    DlqCli inspect = DlqCli.run(dir, env, "inspect");

    assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(ExitCodes.OK);
    assertThat(inspect.inspectResult().preview().matched()).isEqualTo(RECORDS);

    env.put("DLQ_REPLAY_NAME", "secured");
    DlqCli replay = DlqCli.run(dir, env, "replay");

    assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.OK);
    assertThat(replay.replayResult().progress().replayed()).isEqualTo(RECORDS);
    assertThat(DlqTestKafka.readAll(broker, TARGET, true)).extracting(r -> DlqTestRecords.text(r.value()))
        .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5");
    assertThat(DlqTestKafka.committedSum(broker, "reducer-dlq-replay.secured")).isEqualTo(RECORDS);
  }

  @Test
  void aWrongPasswordIsAConfigurationErrorThatNamesTheVariables() throws Exception {
    String wrong = "not-the-password";
    Map<String, String> env = env(wrong);
    env.put("DLQ_REPLAY_NAME", "refused");

    for (String command : List.of("inspect", "replay")) {
      DlqCli run = DlqCli.run(dir, env, command);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
      assertThat(run.err()).as(command)
          .contains("configuration error: cannot connect to Kafka at " + broker.bootstrapServers())
          .contains("the broker refused the login: check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and "
              + "KAFKA_SASL_MECHANISM")
          .doesNotContain(wrong);
      assertThat(run.terminationLog()).as(command).contains("configuration error")
          .contains("KAFKA_SASL_PASSWORD").doesNotContain(wrong);
    }
    assertThat(DlqTestKafka.committedSum(broker, "reducer-dlq-replay.refused")).isZero();
  }

  /** What a Job of a pipeline with SASL_PLAINTEXT and PLAIN gets: every setting from the environment. */
  private static Map<String, String> env(String password) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("DLQ_TOPIC", DLQ);
    env.put(KafkaClientSecurity.PROTOCOL_ENV, "SASL_PLAINTEXT");
    env.put(KafkaClientSecurity.SASL_MECHANISM_ENV, "PLAIN");
    env.put(KafkaClientSecurity.SASL_USERNAME_ENV, USER);
    env.put(KafkaClientSecurity.SASL_PASSWORD_ENV, password);
    return env;
  }
}
