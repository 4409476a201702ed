package io.reducer.workloads.materializer;

import java.sql.SQLException;
import java.util.List;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaStartupCheck;
import io.reducer.workloads.postgres.Database;

/**
 * Fails fast, before joining the group, on what a restart cannot fix: an unreachable broker or database, a
 * missing topic or schema, a table another projection owns. Each message names the setting to fix.
 */
final class StartupChecks {

  private StartupChecks() {
  }

  static void kafka(MaterializerConfig config) throws ConfigException {
    KafkaStartupCheck.requireTopics(config.kafkaSecurity().clientProperties(config.bootstrapServers()),
        config.bootstrapServers(), List.of(
            new KafkaStartupCheck.RequiredTopic(config.topic(), "--topic (MATERIALIZER_TOPIC)"),
            new KafkaStartupCheck.RequiredTopic(config.dlqTopic(), "--dlq-topic (MATERIALIZER_DLQ_TOPIC)")),
        ConfigException::new);
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
      TableOwner owner = ProjectionSchema.prepare(database.connection(), config.schema(), config.table(),
          config.owner());
      database.answered();
      if (!owner.sameProjection(config.namespace(), config.projection())) {
        throw new ConfigException(ProjectionTables.refusal(config.schema(), config.table(), owner,
            config.namespace(), config.projection(), "this materializer would mix its rows into another projection's "
                + "read model", "Choose another table (--table, "
                + "MATERIALIZER_TABLE), or fix --namespace / --projection if this is that projection"));
      }
    } catch (SQLException e) {
      throw new ConfigException("cannot create or upgrade the projection tables in schema '" + config.schema()
          + "': grant CREATE on it to '" + config.dbUser() + "' (and ownership of an existing projection_watermarks, "
          + "which gets a namespace column), or create and upgrade the tables beforehand as docs/materializer.md "
          + "shows ("
          + e.getMessage() + ")", e);
    }
  }
}
