package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.reducer.api.v1alpha1.pipeline.KafkaConnection;
import io.reducer.api.v1alpha1.pipeline.PipelineHealthThresholds;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.api.v1alpha1.pipeline.ReducerWorkload;

/** Desired state of a pure-reducer pipeline. */
public class ReducerPipelineSpec {

  @Required
  @JsonPropertyDescription("Kafka cluster connection.")
  private KafkaConnection kafka;

  @Required
  @JsonPropertyDescription("The pipeline's topics: actions, state-committed events and the dead-letter topic.")
  private PipelineTopics topics;

  @Required
  @JsonPropertyDescription("PostgreSQL database of the canonical store; the operator creates its schema idempotently.")
  private PostgresConnection postgres;

  @JsonPropertyDescription("The reducer Deployment.")
  private ReducerWorkload reducer = new ReducerWorkload();

  @JsonPropertyDescription("Health thresholds; defaults are the runbooks' SLA targets.")
  private PipelineHealthThresholds health = new PipelineHealthThresholds();

  @Default("false")
  @JsonPropertyDescription("Emergency circuit breaker: scales the reducers and every projection of this pipeline "
      + "to zero; false brings each back to what its spec asks for. The annotation reducer.io/paused: \"true\" does "
      + "the same and survives GitOps self-heal.")
  private boolean paused;

  public KafkaConnection getKafka() {
    return kafka;
  }

  public void setKafka(KafkaConnection kafka) {
    this.kafka = kafka;
  }

  public PipelineTopics getTopics() {
    return topics;
  }

  public void setTopics(PipelineTopics topics) {
    this.topics = topics;
  }

  public PostgresConnection getPostgres() {
    return postgres;
  }

  public void setPostgres(PostgresConnection postgres) {
    this.postgres = postgres;
  }

  public ReducerWorkload getReducer() {
    return reducer;
  }

  public void setReducer(ReducerWorkload reducer) {
    this.reducer = reducer;
  }

  public PipelineHealthThresholds getHealth() {
    return health;
  }

  public void setHealth(PipelineHealthThresholds health) {
    this.health = health;
  }

  public boolean isPaused() {
    return paused;
  }

  public void setPaused(boolean paused) {
    this.paused = paused;
  }
}
