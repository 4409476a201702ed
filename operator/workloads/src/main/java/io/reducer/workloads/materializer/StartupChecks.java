package io.reducer.workloads.materializer;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

import io.reducer.workloads.kafka.KafkaFailures;

/**
 * Fails fast, before joining the group, on what a restart cannot fix: an unreachable broker or database, a
 * missing topic or schema. Each message names the setting to fix.
 */
final class StartupChecks {

  private static final long KAFKA_TIMEOUT_MS = 10_000;

  private StartupChecks() {
  }

  static void kafka(MaterializerConfig config) throws ConfigException {
    Map<String, Object> properties = config.kafkaSecurity().clientProperties(config.bootstrapServers());
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT_MS);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT_MS / 2);
    try (Admin admin = admin(config, properties)) {
      try {
        admin.describeCluster().nodes().get(KAFKA_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new ConfigException(KafkaFailures.unreachable(config.bootstrapServers(), KAFKA_TIMEOUT_MS, e), e);
      }
      Set<String> existing;
      try {
        existing = admin.listTopics().names().get(KAFKA_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new ConfigException("cannot list Kafka topics at " + config.bootstrapServers()
            + ": check the broker and this client's ACLs (" + KafkaFailures.rootMessage(e) + ")", e);
      }
      for (String[] topic : List.of(new String[] {config.topic(), "--topic (MATERIALIZER_TOPIC)"},
          new String[] {config.dlqTopic(), "--dlq-topic (MATERIALIZER_DLQ_TOPIC)"})) {
        if (!existing.contains(topic[0])) {
          throw new ConfigException("topic '" + topic[0] + "' does not exist on " + config.bootstrapServers()
              + ": create it (kafka-topics.sh --create --topic " + topic[0] + " ...) or fix " + topic[1]);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking Kafka", e);
    }
  }

  static void database(MaterializerConfig config, Database database) throws ConfigException {
    try {
      database.connection();
    } catch (SQLException e) {
      throw new ConfigException("cannot connect to PostgreSQL at " + config.jdbcUrl() + " as '" + config.dbUser()
          + "': check --jdbc-url (MATERIALIZER_JDBC_URL), --db-user (PGUSER), PGPASSWORD and that the server is up ("
          + e.getMessage() + ")", e);
    }
    try {
      if (!ProjectionSchema.schemaExists(database.connection(), config.schema())) {
        throw new ConfigException("schema '" + config.schema() + "' does not exist: create it (CREATE SCHEMA "
            + config.schema() + ") or fix --schema (MATERIALIZER_SCHEMA)");
      }
      ProjectionSchema.create(database.connection(), config.schema(), config.table());
      database.answered();
    } catch (SQLException e) {
      throw new ConfigException("cannot create the projection tables in schema '" + config.schema()
          + "': grant CREATE on it to '" + config.dbUser() + "' or create the tables beforehand ("
          + e.getMessage() + ")", e);
    }
  }

  /** An unresolvable host, a malformed address or unusable PEM already fails here, not on the first request. */
  private static Admin admin(MaterializerConfig config, Map<String, Object> properties) throws ConfigException {
    try {
      return Admin.create(properties);
    } catch (KafkaException e) {
      throw new ConfigException(KafkaFailures.invalidClient(config.bootstrapServers(), e), e);
    }
  }
}
