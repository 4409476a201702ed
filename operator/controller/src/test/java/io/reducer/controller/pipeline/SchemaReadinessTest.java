package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.postgres.CanonicalStoreState.Kind;
import io.reducer.controller.postgres.CanonicalStoreState;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaReadinessTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aCreatedStoreIsAnnouncedOnceAndACurrentOneIsQuietlyReady() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    List<PlannedEvent> events = SchemaReadiness.report(status, SchemaReadiness.of(new CanonicalStoreState(Kind.Migrated,
        "store", 1, 0, CanonicalSchema.TABLES)), 1, NOW);

    assertThat(events).extracting(PlannedEvent::reason).containsExactly(EventReason.SchemaCreated);
    assertThat(events.get(0).message()).startsWith("Created the canonical store in schema store at version 1: "
        + "workflow_state, workflow_state_history");
    assertThat(condition(status)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
      assertThat(c.getReason()).isEqualTo("SchemaCurrent");
      assertThat(c.getMessage()).isEqualTo("the canonical store in schema store is at version 1");
    });

    assertThat(SchemaReadiness.report(status, SchemaReadiness.of(new CanonicalStoreState(Kind.Current, "store", 1, 1,
        List.of())), 1, NOW)).isEmpty();
    assertThat(condition(status).getMessage()).isEqualTo("the canonical store in schema store is at version 1");
  }

  @Test
  void adoptingAStoreCreatedBeforeVersionsSaysSo() {
    SchemaReadiness.Outcome outcome = SchemaReadiness.of(new CanonicalStoreState(Kind.Migrated, "public", 1, 0,
        List.of(CanonicalSchema.VERSION)));
    assertThat(outcome.change().message()).isEqualTo("Recorded version 1 of the canonical store in schema public; "
        + "created reducer_schema_version; the other tables existed");
  }

  @Test
  void aMissingGrantIsStalledAndWarnsOncePerEpisode() {
    DatabaseFailure denied = new DatabaseFailure(DatabaseFailure.Reason.SchemaPermissionDenied, "creating the "
        + "canonical store tables in schema public on db:5432/app: permission denied for schema public (SQLSTATE "
        + "42501); the operator needs GRANT CREATE ON SCHEMA public TO app", null);
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    assertThat(SchemaReadiness.report(status, SchemaReadiness.failed(denied), 1, NOW)).extracting(PlannedEvent::reason,
        PlannedEvent::type).containsExactly(org.assertj.core.api.Assertions.tuple(EventReason.SchemaFailed,
            "Warning"));
    assertThat(SchemaReadiness.report(status, SchemaReadiness.failed(denied), 1, NOW)).isEmpty();
    assertThat(condition(status)).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.False);
      assertThat(c.getReason()).isEqualTo("SchemaPermissionDenied");
      assertThat(c.getMessage()).contains("GRANT CREATE ON SCHEMA public TO app");
    });
    assertThat(SchemaReadiness.check(SchemaReadiness.failed(denied)).needsUser()).isTrue();
  }

  @Test
  void missingTablesAtTheCurrentVersionAreReportedNotRecreated() {
    SchemaReadiness.Outcome outcome = SchemaReadiness.of(new CanonicalStoreState(Kind.Incomplete, "public", 1, 1,
        List.of("reducer_stats")));
    assertThat(outcome.status()).isEqualTo(ConditionStatus.False);
    assertThat(outcome.reason()).isEqualTo("SchemaIncomplete");
    assertThat(outcome.message()).startsWith("tables reducer_stats are missing from schema public although "
        + "reducer_schema_version records version 1").contains("delete the rows of public.reducer_schema_version");
    assertThat(outcome.change()).isNull();
  }

  @Test
  void anUnreachableDatabaseLeavesTheSchemaUnknown() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    assertThat(SchemaReadiness.report(status, SchemaReadiness.unknown("DatabaseUnreachable", "not checked"), 1, NOW))
        .isEmpty();
    assertThat(condition(status).getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(condition(status).getReason()).isEqualTo("DatabaseUnreachable");
  }

  private static Condition condition(ReducerPipelineStatus status) {
    return status.condition("SchemaReady").orElseThrow();
  }
}
