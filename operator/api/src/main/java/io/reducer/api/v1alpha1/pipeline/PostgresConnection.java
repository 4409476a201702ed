package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Patterns;

/** The PostgreSQL database that holds the canonical store, the projections and their watermarks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresConnection {

  /** libpq sslmode values. */
  public enum SslMode {
    disable, allow, prefer, require, @com.fasterxml.jackson.annotation.JsonProperty("verify-ca") verify_ca,
    @com.fasterxml.jackson.annotation.JsonProperty("verify-full") verify_full
  }

  @Required
  @Pattern(Patterns.HOST)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Host name or IPv4 address of the server, e.g. postgres.db.svc.")
  private String host;

  @Min(1)
  @Max(65535)
  @Default("5432")
  @JsonPropertyDescription("TCP port of the server.")
  private int port = 5432;

  @Required
  @Pattern(Patterns.DATABASE_NAME)
  @Size(min = 1, max = 63)
  @JsonPropertyDescription("Database name.")
  private String database;

  @Pattern(Patterns.SQL_IDENTIFIER)
  @Size(min = 1, max = 63)
  @Default("public")
  @JsonPropertyDescription("Schema holding the canonical store and projection tables; created if missing.")
  private String schema = "public";

  @Required
  @JsonPropertyDescription("Secret with the database user name and password.")
  private PostgresCredentials credentials;

  @Default("prefer")
  @JsonPropertyDescription("libpq sslmode: disable, allow, prefer, require, verify-ca or verify-full.")
  private SslMode sslMode = SslMode.prefer;

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public String getDatabase() {
    return database;
  }

  public void setDatabase(String database) {
    this.database = database;
  }

  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }

  public PostgresCredentials getCredentials() {
    return credentials;
  }

  public void setCredentials(PostgresCredentials credentials) {
    this.credentials = credentials;
  }

  public SslMode getSslMode() {
    return sslMode;
  }

  public void setSslMode(SslMode sslMode) {
    this.sslMode = sslMode;
  }
}
