package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reducer.testsupport.crd.CrdValidationResult;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed and hostile resources are refused by the committed CRDs before the operator ever sees them, each
 * with a message that names the field. Each case starts from a valid example and breaks one thing.
 */
class HostileInputTest {

  @ParameterizedTest
  @ValueSource(strings = {"workflow_state", "workflow_state_history", "action_dedup_log", "reducer_outbox",
      "projection_watermarks", "projection_tables"})
  void aTableOfTheCanonicalStoreOrTheWatermarksIsRefusedAsAProjectionTable(String table) throws Exception {
    CrdValidationResult result = rejectProjection(spec -> spec.put("table", table));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.table names a table of the canonical store"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"x; DROP TABLE y", "workflow_projection\"; --", "Robert'); DROP TABLE students;--",
      "UPPER_CASE", "1starts_with_digit", "has space", "a_name_that_is_far_too_long_for_postgres_identifiers_of_63_bytes"})
  void sqlInjectionOrInvalidTableNameIsRefused(String table) throws Exception {
    CrdValidationResult result = rejectProjection(spec -> spec.put("table", table));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.table"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"topic with space", "../../etc/passwd", "-starts-with-dash", "a$b", ""})
  void invalidTopicNameIsRefused(String topic) throws Exception {
    CrdValidationResult result = rejectPipeline(spec -> ((ObjectNode) spec.path("topics").path("actions"))
        .put("name", topic));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.topics.actions.name"));
  }

  @Test
  void negativePartitionCountIsRefused() throws Exception {
    CrdValidationResult result = rejectPipeline(spec -> ((ObjectNode) spec.path("topics").path("stateCommitted"))
        .put("partitions", -3));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.topics.stateCommitted.partitions"));
  }

  @Test
  void zeroPartitionsAndNegativeReplicasAreRefused() throws Exception {
    assertThat(rejectPipeline(spec -> ((ObjectNode) spec.path("topics").path("dlq")).put("partitions", 0)).errors())
        .anyMatch(e -> e.contains("spec.topics.dlq.partitions"));
    assertThat(rejectPipeline(spec -> ((ObjectNode) spec.path("reducer")).put("replicas", -1)).errors())
        .anyMatch(e -> e.contains("spec.reducer.replicas"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5999, 1800001})
  void sessionTimeoutOutsideTheBrokersDefaultBoundsIsRefused(int timeoutMs) throws Exception {
    CrdValidationResult result = rejectProjection(spec -> ((ObjectNode) spec.path("materializer"))
        .put("sessionTimeoutMs", timeoutMs));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.materializer.sessionTimeoutMs"));
  }

  @Test
  void sessionTimeoutWithinTheBrokersDefaultBoundsIsAccepted() throws Exception {
    for (int timeoutMs : new int[] {6000, 10000, 1800000}) {
      ObjectNode projection = example("projection.yaml").deepCopy();
      ((ObjectNode) projection.path("spec").path("materializer")).put("sessionTimeoutMs", timeoutMs);

      assertThat(Admission.validateCreate(projection).errors()).as("sessionTimeoutMs %s", timeoutMs).isEmpty();
    }
  }

  @Test
  void unknownResetTargetIsRefused() throws Exception {
    CrdValidationResult result = rejectReset(spec -> ((ObjectNode) spec.path("target")).put("type", "yesterday"));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.target.type"));
  }

  @Test
  void offsetTargetWithoutOffsetsIsRefusedWithTheRuleMessage() throws Exception {
    CrdValidationResult result = rejectReset(spec -> {
      ObjectNode target = (ObjectNode) spec.path("target");
      target.put("type", "offset");
      target.remove("timestamp");
    });

    assertThat(result.errors()).anyMatch(e -> e.contains("offsets is required with type offset"));
  }

  @Test
  void offsetsWithAnotherTargetTypeAreRefused() throws Exception {
    CrdValidationResult result = rejectReset(spec -> {
      ObjectNode target = (ObjectNode) spec.path("target");
      ArrayNode offsets = target.putArray("offsets");
      offsets.addObject().put("partition", 0).put("offset", 10);
    });

    assertThat(result.errors()).anyMatch(e -> e.contains("offsets is required with type offset"));
  }

  @Test
  void rebuildOfSomePartitionsIsRefusedBecauseItWouldTruncateTheOthers() throws Exception {
    CrdValidationResult result = rejectReset(spec -> spec.putArray("partitions").add(0).add(1));

    assertThat(result.errors()).anyMatch(e -> e.contains("rebuild truncates the whole projection"));
  }

  @Test
  void missingRequiredReferenceIsRefused() throws Exception {
    assertThat(rejectProjection(spec -> spec.remove("pipelineRef")).errors())
        .anyMatch(e -> e.contains("pipelineRef"));
    assertThat(rejectReset(spec -> spec.remove("projectionRef")).errors())
        .anyMatch(e -> e.contains("projectionRef"));
    assertThat(rejectReplay(spec -> spec.remove("pipelineRef")).errors())
        .anyMatch(e -> e.contains("exactly one of pipelineRef and projectionRef"));
  }

  @Test
  void replayNamingBothAPipelineAndAProjectionIsRefused() throws Exception {
    CrdValidationResult result = rejectReplay(spec -> spec.putObject("projectionRef").put("name", "workflow-projection"));

    assertThat(result.errors()).anyMatch(e -> e.contains("exactly one of pipelineRef and projectionRef"));
  }

  @Test
  void resetNamingBothAProjectionAndAPipelineIsRefused() throws Exception {
    CrdValidationResult result = rejectReset(spec -> spec.putObject("pipelineRef").put("name", "orders"));

    assertThat(result.errors()).anyMatch(e -> e.contains("exactly one of projectionRef (reset a projection) and "
        + "pipelineRef (reset the pipeline's reducers) is required"));
  }

  @Test
  void resetOfAPipelinesReducersIsAccepted() throws Exception {
    ObjectNode reset = example("watermarkreset.yaml").deepCopy();
    ObjectNode spec = (ObjectNode) reset.path("spec");
    spec.remove("projectionRef");
    spec.put("rebuild", false);
    spec.putObject("pipelineRef").put("name", "orders");

    assertThat(Admission.validateCreate(reset).errors()).isEmpty();
  }

  @Test
  void rebuildingThePipelinesReducersIsRefusedBecauseTheyHaveNoTable() throws Exception {
    CrdValidationResult result = rejectReset(spec -> {
      spec.remove("projectionRef");
      spec.putObject("pipelineRef").put("name", "orders");
    });

    assertThat(result.errors()).anyMatch(e -> e.contains("rebuild truncates a projection table, so it needs "
        + "projectionRef"));
    assertThat(result.errors()).noneMatch(e -> e.contains("exactly one of"));
  }

  @Test
  void referenceWithAnInvalidNameIsRefused() throws Exception {
    CrdValidationResult result = rejectProjection(spec -> ((ObjectNode) spec.path("pipelineRef"))
        .put("name", "../other-namespace/pipeline"));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.pipelineRef.name"));
  }

  @Test
  void saslProtocolWithoutCredentialsIsRefused() throws Exception {
    CrdValidationResult result = rejectPipeline(spec -> ((ObjectNode) spec.path("kafka").path("security"))
        .remove("sasl"));

    assertThat(result.errors()).anyMatch(e -> e.contains("sasl is required"));
  }

  @Test
  void thresholdsWhoseCriticalIsBelowWarningAreRefused() throws Exception {
    CrdValidationResult result = rejectPipeline(spec -> ((ObjectNode) spec.path("health").path("conflictRatePercent"))
        .put("critical", 1));

    assertThat(result.errors()).anyMatch(e -> e.contains("critical must be greater than or equal to warning"));
  }

  @Test
  void retryCapBelowItsBaseIsRefused() throws Exception {
    CrdValidationResult result = rejectPipeline(spec -> ((ObjectNode) spec.path("reducer").path("retry"))
        .put("backoffCapMs", 5));

    assertThat(result.errors()).anyMatch(e -> e.contains("backoffCapMs must be at least backoffBaseMs"));
  }

  @Test
  void replayTimeRangeThatEndsBeforeItStartsIsRefused() throws Exception {
    CrdValidationResult result = rejectReplay(spec -> ((ObjectNode) spec.path("filter").path("timeRange"))
        .put("to", "2025-10-21T11:00:00Z"));

    assertThat(result.errors()).anyMatch(e -> e.contains("from must be before to"));
  }

  @Test
  void errorTypeBothIncludedAndExcludedIsRefused() throws Exception {
    CrdValidationResult result = rejectReplay(spec -> ((ObjectNode) spec.path("filter").path("errorTypes"))
        .putArray("exclude").add("VALIDATION_ERROR"));

    assertThat(result.errors()).anyMatch(e -> e.contains("cannot be both included and excluded"));
  }

  @Test
  void oneShotSpecsAreImmutableButTheirMetadataIsNot() throws Exception {
    JsonNode reset = example("watermarkreset.yaml");
    ObjectNode changedSpec = reset.deepCopy();
    ((ObjectNode) changedSpec.path("spec")).put("rebuild", false);
    ObjectNode annotated = reset.deepCopy();
    ((ObjectNode) annotated.path("metadata")).putObject("annotations").put("reducer.io/approve", "true");

    assertThat(Admission.validateUpdate(reset, changedSpec).errors())
        .anyMatch(e -> e.contains("spec is immutable"));
    assertThat(Admission.validateUpdate(reset, annotated).errors()).isEmpty();

    JsonNode replay = example("dlqreplay.yaml");
    ObjectNode raisedLimit = replay.deepCopy();
    ((ObjectNode) raisedLimit.path("spec")).put("limit", 20000);
    assertThat(Admission.validateUpdate(replay, raisedLimit).errors())
        .anyMatch(e -> e.contains("spec is immutable"));
  }

  @Test
  void longLivedSpecsCanChange() throws Exception {
    JsonNode projection = example("projection.yaml");
    ObjectNode paused = projection.deepCopy();
    ((ObjectNode) paused.path("spec")).put("paused", true);

    assertThat(Admission.validateUpdate(projection, paused).errors()).isEmpty();
  }

  @Test
  void aLiveProjectionKeepsItsTableAndSourceTopic() throws Exception {
    // Changed in place, the new table would miss the history and the new topic be read from the old positions.
    JsonNode projection = example("projection.yaml");
    ObjectNode otherTable = projection.deepCopy();
    ((ObjectNode) otherTable.path("spec")).put("table", "orders_view");
    ObjectNode otherTopic = projection.deepCopy();
    ((ObjectNode) otherTopic.path("spec")).put("sourceTopic", "other.state-committed");
    ObjectNode noTopic = otherTopic.deepCopy();
    ((ObjectNode) noTopic.path("spec")).remove("sourceTopic");

    assertThat(Admission.validateUpdate(projection, otherTable).errors())
        .anyMatch(e -> e.contains("spec.table cannot change"));
    assertThat(Admission.validateUpdate(projection, otherTopic).errors())
        .anyMatch(e -> e.contains("spec.sourceTopic cannot change"));
    assertThat(Admission.validateUpdate(otherTopic, noTopic).errors())
        .anyMatch(e -> e.contains("spec.sourceTopic cannot change"));
  }

  @Test
  void unknownFieldsArePrunedNotStored() throws Exception {
    ObjectNode projection = example("projection.yaml").deepCopy();
    ((ObjectNode) projection.path("spec")).put("replicas", 40);

    CrdValidationResult result = Admission.validateCreate(projection);

    assertThat(result.errors()).isEmpty();
    assertThat(result.prunedFields()).anyMatch(f -> f.contains("spec.replicas"));
  }

  private static CrdValidationResult rejectPipeline(Consumer<ObjectNode> breakSpec) throws Exception {
    return rejected("reducerpipeline.yaml", breakSpec);
  }

  private static CrdValidationResult rejectProjection(Consumer<ObjectNode> breakSpec) throws Exception {
    return rejected("projection.yaml", breakSpec);
  }

  private static CrdValidationResult rejectReplay(Consumer<ObjectNode> breakSpec) throws Exception {
    return rejected("dlqreplay.yaml", breakSpec);
  }

  private static CrdValidationResult rejectReset(Consumer<ObjectNode> breakSpec) throws Exception {
    return rejected("watermarkreset.yaml", breakSpec);
  }

  /** Breaks one thing in a valid example and asserts the API server would refuse the result. */
  private static CrdValidationResult rejected(String exampleFile, Consumer<ObjectNode> breakSpec) throws Exception {
    ObjectNode resource = example(exampleFile).deepCopy();
    assertThat(Admission.validateCreate(resource).errors()).as("%s before breaking it", exampleFile).isEmpty();
    breakSpec.accept((ObjectNode) resource.path("spec"));
    CrdValidationResult result = Admission.validateCreate(resource);
    assertThat(result.valid()).as("broken %s must be refused", exampleFile).isFalse();
    return result;
  }

  private static JsonNode example(String name) throws Exception {
    Path file = Examples.files().filter(f -> f.getFileName().toString().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no example " + name));
    return Examples.tree(file);
  }
}
