package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reducer.testsupport.crd.CrdValidationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;
import java.util.function.Function;
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

  @Test
  void transactionsWithoutActionsOrANegativeCommitTargetAreRefused() throws Exception {
    assertThat(rejectPipeline(spec -> ((ObjectNode) spec.path("reducer").path("transactions"))
        .put("maxActions", 0)).errors())
        .anyMatch(e -> e.contains("spec.reducer.transactions.maxActions"));
    assertThat(rejectPipeline(spec -> ((ObjectNode) spec.path("reducer").path("transactions"))
        .put("commitTargetMs", -1)).errors())
        .anyMatch(e -> e.contains("spec.reducer.transactions.commitTargetMs"));
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

  @ParameterizedTest
  @ValueSource(strings = {"2025-13-45T99:99:99Z", "2025-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
      "2025-04-31T00:00:00Z", "2025-10-21T24:00:00Z", "2025-10-21T12:00:60Z", "2025-10-21T12:00:00+19:00",
      "2025-10-21 12:00:00Z", "2025-10-21T12:00:00"})
  void aTimeThatDoesNotExistIsRefusedAtAdmissionNotByTheJob(String time) throws Exception {
    assertThat(parsesAsWorkloadsDo(time, OffsetDateTime::parse)).as("the Job would refuse %s", time).isFalse();

    CrdValidationResult reset = rejectReset(spec -> ((ObjectNode) spec.path("target")).put("timestamp", time));
    CrdValidationResult replay = rejectReplay(spec -> ((ObjectNode) spec.path("filter").path("timeRange"))
        .put("from", time));

    assertThat(reset.errors()).anyMatch(e -> e.contains("spec.target.timestamp"));
    assertThat(replay.errors()).anyMatch(e -> e.contains("spec.filter.timeRange.from"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-02-29T00:00:00Z", "2000-02-29T23:59:59.999999999+18:00", "2025-12-31T00:00:00-05:30",
      "2025-04-30T12:00:00.5Z"})
  void aTimeThatExistsIsAcceptedAsTheJobAcceptsIt(String time) throws Exception {
    assertThat(parsesAsWorkloadsDo(time, OffsetDateTime::parse)).as("the Job parses %s", time).isTrue();
    ObjectNode reset = example("watermarkreset.yaml").deepCopy();
    ((ObjectNode) reset.path("spec").path("target")).put("timestamp", time);

    assertThat(Admission.validateCreate(reset).errors()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"P1DT", "PT", "P", "P1H", "PT1D", "P1W", "PT1H2H", "-PT1H", "PT-1H"})
  void aDurationTheJobCannotReadIsRefusedAtAdmission(String duration) throws Exception {
    // The Job parses with Duration.parse and refuses a negative duration: it counts back from now.
    assertThat(parsesAsWorkloadsDo(duration, Duration::parse) && !Duration.parse(duration).isNegative())
        .as("the Job would refuse %s", duration).isFalse();

    assertThat(rejectDuration(duration).errors()).anyMatch(e -> e.contains("spec.target.duration"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"p1d", "PT1,5S", "+PT1H", "PT1234567890S"})
  void aDurationOutsideTheCanonicalFormIsRefusedThoughTheJobCouldReadIt(String duration) throws Exception {
    // Lower case, a decimal comma, signs and amounts of more than 9 digits: refused so that what is accepted
    // never overflows and reads the same everywhere.
    assertThat(rejectDuration(duration).errors()).anyMatch(e -> e.contains("spec.target.duration"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"P1D", "PT30M", "P1DT12H", "PT1H30M", "PT1.5S", "P2DT3H4M5.000000006S", "PT0S",
      "PT999999999H"})
  void aDurationIsAcceptedExactlyWhenTheJobReadsIt(String duration) throws Exception {
    assertThat(parsesAsWorkloadsDo(duration, Duration::parse)).as("the Job parses %s", duration).isTrue();
    ObjectNode reset = example("watermarkreset.yaml").deepCopy();
    byDuration((ObjectNode) reset.path("spec"), duration);

    assertThat(Admission.validateCreate(reset).errors()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "line\nbreak", "nul\u0000byte", "tab\tseparated", "say \"hi\"", "back\\slash"})
  void anEmptyCorrelationIdOrOneJsonWouldEscapeIsRefused(String id) throws Exception {
    CrdValidationResult result = rejectReplay(spec -> ((ObjectNode) spec.path("filter"))
        .putArray("correlationIds").add("order-1").add(id));

    assertThat(result.errors()).anyMatch(e -> e.contains("spec.filter.correlationIds[1]"));
  }

  @Test
  void correlationIdsAreAtMost256OfAtMost256Bytes() throws Exception {
    // The replay Job gets them as one JSON value; 256 x 256 bytes keeps it far below the 128 KiB of one env value.
    CrdValidationResult tooLong = rejectReplay(spec -> ((ObjectNode) spec.path("filter"))
        .putArray("correlationIds").add("x".repeat(257)));
    CrdValidationResult tooMany = rejectReplay(spec -> {
      ArrayNode ids = ((ObjectNode) spec.path("filter")).putArray("correlationIds");
      for (int i = 0; i <= 256; i++) {
        ids.add("order-" + i);
      }
    });

    CrdValidationResult tooManyBytes = rejectReplay(spec -> ((ObjectNode) spec.path("filter"))
        .putArray("correlationIds").add("\u00e9".repeat(129)));

    assertThat(tooLong.errors()).anyMatch(e -> e.contains("spec.filter.correlationIds[0]"));
    assertThat(tooMany.errors()).anyMatch(e -> e.contains("spec.filter.correlationIds"));
    assertThat(tooManyBytes.errors()).anyMatch(e -> e.contains("correlation ids are at most 256 bytes"));
  }

  @Test
  void theLargestCorrelationIdListWithCommasIsAccepted() throws Exception {
    ObjectNode replay = example("dlqreplay.yaml").deepCopy();
    ArrayNode ids = ((ObjectNode) replay.path("spec").path("filter")).putArray("correlationIds");
    for (int i = 0; i < 256; i++) {
      ids.add(String.format("\u00e9,%0253d", i));
    }

    assertThat(Admission.validateCreate(replay).errors()).isEmpty();
  }

  @Test
  void aTopicConfigKeyThatIsNotAKafkaConfigNameOrAValueTooLongIsRefused() throws Exception {
    CrdValidationResult badKey = rejectPipeline(spec -> ((ObjectNode) spec.path("topics").path("dlq"))
        .putObject("config").put("Retention MS", "1000"));
    CrdValidationResult longKey = rejectPipeline(spec -> ((ObjectNode) spec.path("topics").path("dlq"))
        .putObject("config").put("a".repeat(129), "1000"));
    CrdValidationResult longValue = rejectPipeline(spec -> ((ObjectNode) spec.path("topics").path("dlq"))
        .putObject("config").put("retention.ms", "1".repeat(1025)));

    assertThat(badKey.errors()).anyMatch(e -> e.contains("config keys are Kafka topic configs"));
    assertThat(longKey.errors()).anyMatch(e -> e.contains("config keys are Kafka topic configs"));
    assertThat(longValue.errors()).anyMatch(e -> e.contains("spec.topics.dlq.config"));
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

  private static CrdValidationResult rejectDuration(String duration) throws Exception {
    return rejectReset(spec -> byDuration(spec, duration));
  }

  private static void byDuration(ObjectNode spec, String duration) {
    ObjectNode target = (ObjectNode) spec.path("target");
    target.put("type", "byDuration");
    target.remove("timestamp");
    target.put("duration", duration);
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

  /** Whether the workloads, which parse with java.time, would accept the text. */
  private static boolean parsesAsWorkloadsDo(String text, Function<String, ?> parse) {
    try {
      parse.apply(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static JsonNode example(String name) throws Exception {
    Path file = Examples.files().filter(f -> f.getFileName().toString().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no example " + name));
    return Examples.tree(file);
  }
}
