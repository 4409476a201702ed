package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.cli.ConfigException;

class ResetConfigTest {

  private static final Map<String, String> ENV = Map.of(
      "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
      "RESET_TOPIC", "state-committed",
      "RESET_JDBC_URL", "jdbc:postgresql://db:5432/app",
      "RESET_TARGET", "earliest",
      "PGUSER", "app",
      "PGPASSWORD", "secret");

  @Test
  void environmentFallbacksAndDefaultsMatchTheMaterializer() throws Exception {
    ResetConfig config = ResetConfig.parse(List.of(), ENV);
    assertThat(config.topic()).isEqualTo("state-committed");
    assertThat(config.table()).isEqualTo("workflow_projection");
    assertThat(config.schema()).isEqualTo("public");
    assertThat(config.projection()).isEqualTo("workflow_projection");
    assertThat(config.group()).isEqualTo("reducer.default.workflow_projection");
    assertThat(config.target()).isEqualTo(ResetTarget.earliest());
    assertThat(config.partitions()).isEmpty();
    assertThat(config.rebuild()).isFalse();
    assertThat(config.dryRun()).isFalse();
    assertThat(config.expectedEpoch()).isNull();
    assertThat(config.dbUser()).isEqualTo("app");
    assertThat(config.dbPassword()).isEqualTo("secret");
    assertThat(config.toString()).doesNotContain("secret");
    // No kubelet here, so no termination log unless one is named.
    assertThat(config.terminationLog()).isNull();
  }

  @Test
  void eachTargetTakesItsValue() throws Exception {
    assertThat(ResetConfig.parse(List.of("--target", "offset", "--offsets", "0=120, 1=340"), ENV).target())
        .isEqualTo(ResetTarget.offsets(Map.of(0, 120L, 1, 340L)));
    assertThat(ResetConfig.parse(List.of("--target=timestamp", "--timestamp=2026-01-01T01:00:00+01:00"), ENV).target())
        .isEqualTo(ResetTarget.timestamp(Instant.parse("2026-01-01T00:00:00Z")));
    assertThat(ResetConfig.parse(List.of("--target", "shift-by", "--shift-by", "-100"), ENV).target())
        .isEqualTo(ResetTarget.shiftBy(-100));
    assertThat(ResetConfig.parse(List.of("--target", "byDuration", "--duration", "P1DT12H"), ENV).target())
        .isEqualTo(ResetTarget.byDuration(Duration.ofHours(36)));
    assertThat(ResetConfig.parse(List.of("--target", "latest"), ENV).target()).isEqualTo(ResetTarget.latest());
  }

  @Test
  void switchesAndEpochsFromFlagsOrEnvironment() throws Exception {
    ResetConfig flags = ResetConfig.parse(List.of("--rebuild", "--dry-run", "--expected-epoch", "3", "--new-epoch",
        "4", "--termination-log", "/tmp/result.json", "--group", "g", "--projection", "orders"), ENV);
    assertThat(flags.rebuild()).isTrue();
    assertThat(flags.dryRun()).isTrue();
    assertThat(flags.expectedEpoch()).isEqualTo(3L);
    assertThat(flags.newEpoch()).isEqualTo(4L);
    assertThat(flags.terminationLog()).isEqualTo(Path.of("/tmp/result.json"));
    assertThat(flags.group()).isEqualTo("g");
    assertThat(flags.projection()).isEqualTo("orders");

    Map<String, String> env = new HashMap<>(ENV);
    env.put("RESET_REBUILD", "TRUE");
    env.put("RESET_DRY_RUN", "false");
    env.put("RESET_PARTITIONS", "");
    env.put("TERMINATION_LOG", "/tmp/t");
    ResetConfig fromEnv = ResetConfig.parse(List.of(), env);
    assertThat(fromEnv.rebuild()).isTrue();
    assertThat(fromEnv.dryRun()).isFalse();
    assertThat(fromEnv.partitions()).isEmpty();
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--partitions", "2,0"), env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--rebuild truncates the whole projection table");
    env.put("RESET_PARTITIONS", "2, 0");
    env.remove("RESET_REBUILD");
    ResetConfig subset = ResetConfig.parse(List.of(), env);
    assertThat(subset.partitions()).containsExactly(0, 2);
    assertThat(subset.terminationLog()).isEqualTo(Path.of("/tmp/t"));
  }

  @Test
  void badValuesNameTheFix() {
    assertThatThrownBy(() -> ResetConfig.parse(List.of(), Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "to-earliest"), ENV))
        .hasMessageContaining("use earliest, latest, offset, timestamp, shift-by or by-duration");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "offset"), ENV))
        .hasMessageContaining("--target offset needs --offsets (RESET_OFFSETS)");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--shift-by", "3"), ENV))
        .hasMessageContaining("--shift-by only goes with --target shift-by, not with --target earliest");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "offset", "--offsets", "0:5"), ENV))
        .hasMessageContaining("use partition=offset");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "offset", "--offsets", "0=5,0=6"), ENV))
        .hasMessageContaining("lists partition 0 twice");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "offset", "--offsets", "0=-5"), ENV))
        .hasMessageContaining("--offsets offset must be between 0");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "timestamp", "--timestamp", "2026-01-01"), ENV))
        .hasMessageContaining("RFC 3339");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "by-duration", "--duration", "1h"), ENV))
        .hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--target", "by-duration", "--duration", "-PT1H"), ENV))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--new-epoch", "4"), ENV))
        .hasMessageContaining("--new-epoch must be --expected-epoch + 1");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--expected-epoch", "3", "--new-epoch", "5"), ENV))
        .hasMessageContaining("--new-epoch must be --expected-epoch + 1");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--table", "x\"; DROP TABLE y; --"), ENV))
        .hasMessageContaining("--table").hasMessageContaining("^[a-z_]");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--group", "bad group"), ENV)).hasMessageContaining("--group");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--dry-run=maybe"), ENV)).hasMessageContaining("true or false");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--db-password", "x"), ENV)).hasMessageContaining("PGPASSWORD");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--partitions", "a"), ENV)).hasMessageContaining("--partitions");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--jdbc-url", "postgres://x"), ENV))
        .hasMessageContaining("jdbc:postgresql:");
    Map<String, String> noUser = new HashMap<>(ENV);
    noUser.remove("PGUSER");
    assertThatThrownBy(() -> ResetConfig.parse(List.of(), noUser)).hasMessageContaining("set PGUSER");
  }

  @Test
  void theTerminationLogIsFoundEvenWhenTheRestDoesNotParse() {
    assertThat(ResetConfig.terminationLog(List.of("--termination-log", "/tmp/x", "--bogus"), Map.of()))
        .isNull();
    assertThat(ResetConfig.terminationLog(List.of("--bogus"), Map.of("TERMINATION_LOG", "/tmp/y")))
        .isEqualTo(Path.of("/tmp/y"));
    assertThat(ResetConfig.terminationLog(List.of("--termination-log=/tmp/x"), Map.of("TERMINATION_LOG", "/tmp/y")))
        .isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void aRebuildNeverTruncatesTheCanonicalStoreOrTheWatermarks() {
    // Without this, --rebuild --table workflow_state would TRUNCATE every workflow's canonical state.
    for (String table : List.of("workflow_state", "action_dedup_log", "reducer_outbox", "projection_watermarks")) {
      assertThatThrownBy(() -> ResetConfig.parse(List.of("--table", table, "--rebuild"), ENV))
          .isInstanceOf(ConfigException.class).hasMessageContaining("--table '" + table + "' names a table of the "
              + "canonical store").hasMessageContaining("RESET_TABLE");
    }
  }

  @Test
  void theNamespaceKeysTheWatermarksLikeTheMaterializers() throws Exception {
    assertThat(ResetConfig.parse(List.of(), ENV).namespace()).isEqualTo("default");
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("RESET_NAMESPACE", "orders");
    assertThat(ResetConfig.parse(List.of(), env).owner().namespace()).isEqualTo("orders");
    assertThat(ResetConfig.parse(List.of("--namespace", "billing"), env).namespace()).isEqualTo("billing");
    assertThatThrownBy(() -> ResetConfig.parse(List.of("--namespace", "-x"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("RESET_NAMESPACE");
  }
}
