package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Patterns;

/** How the operator and its workloads reach the Kafka cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaConnection {

  @Required
  @Pattern(Patterns.BOOTSTRAP_SERVERS)
  @Size(min = 3, max = 2048)
  @JsonPropertyDescription("Comma-separated host:port list of brokers, as in Kafka's bootstrap.servers, "
      + "e.g. kafka-0.kafka:9092,kafka-1.kafka:9092.")
  private String bootstrapServers;

  @JsonPropertyDescription("Transport security and authentication. Omit for PLAINTEXT.")
  private KafkaSecurity security;

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public KafkaSecurity getSecurity() {
    return security;
  }

  public void setSecurity(KafkaSecurity security) {
    this.security = security;
  }
}
