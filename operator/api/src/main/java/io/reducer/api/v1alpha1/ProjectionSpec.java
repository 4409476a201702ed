package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.Patterns;
import io.reducer.api.v1alpha1.projection.MaterializerWorkload;
import io.reducer.api.v1alpha1.projection.ProjectionHealthThresholds;
import io.reducer.api.v1alpha1.projection.ScalingPolicy;

/**
 * Desired state of one read model materialized from a topic into a PostgreSQL table. The table and the source topic
 * are fixed for the life of a Projection: the watermarks belong to both, so moving either would leave the new table
 * without the history or read the new topic from the old topic's positions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.table == oldSelf.table", message = "spec.table cannot change: the new table would "
    + "miss the history and the watermarks belong to the old one; create a new Projection for the new table (then "
    + "delete this one)")
@ValidationRule(value = "has(self.sourceTopic) == has(oldSelf.sourceTopic) && (!has(self.sourceTopic) "
    + "|| self.sourceTopic == oldSelf.sourceTopic)", message = "spec.sourceTopic cannot change: the watermarks are "
    + "positions in the old topic; create a new Projection for the new topic (then delete this one)")
public class ProjectionSpec {

  /**
   * Tables a projection must never be, as a CEL list: the canonical store's, the watermarks table and the registry of
   * projection table owners. The same list
   * as the workloads' ReservedTables, which a test holds equal.
   */
  public static final String RESERVED_TABLES = "['workflow_state', 'workflow_state_history', 'action_dedup_log', "
      + "'reducer_gaveup_log', 'reducer_outbox', 'reducer_outbox_head', 'reducer_outbox_cursor', "
      + "'reducer_outbox_gaps', 'reducer_stats', 'reducer_schema_version', 'projection_watermarks', "
      + "'projection_tables']";

  /** Table used when spec.table is omitted; the runbooks' diagnostic SQL uses this name. */
  public static final String DEFAULT_TABLE = "workflow_projection";

  @Required
  @JsonPropertyDescription("The ReducerPipeline (same namespace) whose Kafka and PostgreSQL this projection uses.")
  private LocalReference pipelineRef;

  @Pattern(Patterns.KAFKA_NAME)
  @Size(min = 1, max = 249)
  @JsonPropertyDescription("Topic to consume. Omit for the pipeline's stateCommitted topic. Fixed once the Projection "
      + "exists.")
  private String sourceTopic;

  @Pattern(Patterns.KAFKA_NAME)
  @Size(min = 1, max = 249)
  @JsonPropertyDescription("Kafka consumer group of the materializers. Omit for reducer.<namespace>.<name>.")
  private String consumerGroup;

  @Pattern(Patterns.SQL_IDENTIFIER)
  @Size(min = 1, max = 63)
  @Default(DEFAULT_TABLE)
  @ValidationRule(value = "!(self in " + RESERVED_TABLES + ")", message = "spec.table names a table of the canonical "
      + "store or the projections' watermarks or owners; a materializer would corrupt it and a rebuild would truncate it: "
      + "choose another table")
  @JsonPropertyDescription("Target table (lower-case SQL identifier) in the pipeline's schema; created if missing. "
      + "Fixed once the Projection exists. The canonical store's tables, projection_watermarks and projection_tables are refused.")
  private String table = DEFAULT_TABLE;

  @JsonPropertyDescription("The materializer Deployment.")
  private MaterializerWorkload materializer = new MaterializerWorkload();

  @JsonPropertyDescription("How many materializer replicas run.")
  private ScalingPolicy scaling = new ScalingPolicy();

  @JsonPropertyDescription("Health thresholds and probe interval.")
  private ProjectionHealthThresholds health = new ProjectionHealthThresholds();

  @Default("false")
  @JsonPropertyDescription("Scales the materializers to zero and sets the Paused condition; false restores them. "
      + "The annotation reducer.io/paused: \"true\" does the same and survives GitOps self-heal.")
  private boolean paused;

  public LocalReference getPipelineRef() {
    return pipelineRef;
  }

  public void setPipelineRef(LocalReference pipelineRef) {
    this.pipelineRef = pipelineRef;
  }

  public String getSourceTopic() {
    return sourceTopic;
  }

  public void setSourceTopic(String sourceTopic) {
    this.sourceTopic = sourceTopic;
  }

  public String getConsumerGroup() {
    return consumerGroup;
  }

  public void setConsumerGroup(String consumerGroup) {
    this.consumerGroup = consumerGroup;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public MaterializerWorkload getMaterializer() {
    return materializer;
  }

  public void setMaterializer(MaterializerWorkload materializer) {
    this.materializer = materializer;
  }

  public ScalingPolicy getScaling() {
    return scaling;
  }

  public void setScaling(ScalingPolicy scaling) {
    this.scaling = scaling;
  }

  public ProjectionHealthThresholds getHealth() {
    return health;
  }

  public void setHealth(ProjectionHealthThresholds health) {
    this.health = health;
  }

  public boolean isPaused() {
    return paused;
  }

  public void setPaused(boolean paused) {
    this.paused = paused;
  }
}
