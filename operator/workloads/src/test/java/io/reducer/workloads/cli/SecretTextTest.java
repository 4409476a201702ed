package io.reducer.workloads.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.workloads.kafka.KafkaClientSecurity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTextTest {

  @Test
  void oneTrailingLineBreakIsDroppedAndNothingElse() {
    assertThat(SecretText.withoutTrailingNewline("pw\n")).isEqualTo("pw");
    assertThat(SecretText.withoutTrailingNewline("pw\r\n")).isEqualTo("pw");
    assertThat(SecretText.withoutTrailingNewline("pw \n\n")).isEqualTo("pw \n");
    assertThat(SecretText.withoutTrailingNewline(" pw ")).isEqualTo(" pw ");
    assertThat(SecretText.withoutTrailingNewline(null)).isNull();
  }

  @Test
  void theKafkaLoginOfAPodDoesNotCarryTheSecretsNewline() throws Exception {
    KafkaClientSecurity security = KafkaClientSecurity.fromEnv(Map.of(KafkaClientSecurity.PROTOCOL_ENV,
        "SASL_PLAINTEXT", KafkaClientSecurity.SASL_MECHANISM_ENV, "PLAIN", KafkaClientSecurity.SASL_USERNAME_ENV,
        "reducer\n", KafkaClientSecurity.SASL_PASSWORD_ENV, "secret\n"));

    assertThat(security.properties().get("sasl.jaas.config").toString())
        .contains("username=\"reducer\" password=\"secret\";");
  }
}
