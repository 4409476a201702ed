package io.reducer.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.probe.ProbeFailureReason;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One rule for every kind: which failures stall a resource until the user acts, and which a retry may fix. */
class FailureReasonTest {

  @Test
  void credentialsSecretsReferencesGrantsAndNamesNeedTheUser() {
    assertThat(all().filter(FailureReason::needsUser).map(FailureReason::name)).containsExactlyInAnyOrder(
        "CrossNamespaceReference", "PipelineNotFound", "SecretNotFound", "SecretKeyNotFound", "InvalidKafkaSecurity",
        "KafkaAuthenticationFailed", "KafkaAuthorizationFailed", "TopicNotFound", "TopicConfigRejected",
        "InvalidTopicRequest", "DatabaseAuthenticationFailed", "SchemaPermissionDenied", "InvalidTableName",
        "ReservedTableName");
  }

  @Test
  void anUnreachableOrFailingServerIsRetried() {
    assertThat(all().filter(r -> !r.needsUser()).map(FailureReason::name)).containsExactlyInAnyOrder(
        "KafkaUnreachable", "KafkaError", "TopicAlreadyExists", "DatabaseUnreachable", "DatabaseError",
        "CanonicalStoreMissing", "ProbeFailed");
  }

  private static Stream<FailureReason> all() {
    return Stream.of(ResolutionFailure.Reason.values(), KafkaFailure.Reason.values(), DatabaseFailure.Reason.values(),
        ProbeFailureReason.values()).flatMap(Arrays::stream).map(FailureReason.class::cast);
  }
}
