package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.postgres.CanonicalStoreState;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.Conditions;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what the operator found or did to a pipeline's canonical store into the SchemaReady condition and its
 * Events: a plain function, unit-tested without a database.
 */
public final class SchemaReadiness {

  public static final String CURRENT = "SchemaCurrent";
  public static final String INCOMPLETE = "SchemaIncomplete";

  private SchemaReadiness() {
  }

  /**
   * The schema check's outcome.
   *
   * @param status True, False, or Unknown while the database cannot be asked
   * @param change the Event of a migration made now; null when nothing changed
   */
  public record Outcome(ConditionStatus status, String reason, String message, boolean needsUser,
      PlannedEvent change) {
  }

  public static Outcome of(CanonicalStoreState state) {
    String where = "schema " + state.schema();
    switch (state.kind()) {
      case Migrated:
        String what = state.previousVersion() > 0
            ? "Migrated the canonical store in " + where + " from version " + state.previousVersion() + " to "
                + state.version()
            : state.tables().size() == CanonicalSchema.TABLES.size()
                ? "Created the canonical store in " + where + " at version " + state.version() + ": "
                    + String.join(", ", state.tables())
                : "Recorded version " + state.version() + " of the canonical store in " + where
                    + (state.tables().isEmpty() ? "" : "; created " + String.join(", ", state.tables()))
                    + "; the other tables existed";
        return new Outcome(ConditionStatus.True, CURRENT, current(state), false,
            PlannedEvent.normal(EventReason.SchemaCreated, what));
      case Incomplete:
        return new Outcome(ConditionStatus.False, INCOMPLETE, "tables " + String.join(", ", state.tables())
            + " are missing from " + where + " although " + CanonicalSchema.VERSION + " records version "
            + state.version() + ", so the operator creates nothing: restore them, or delete the rows of "
            + state.schema() + "." + CanonicalSchema.VERSION + " to have the missing tables created again (existing "
            + "tables and rows are kept)", true, null);
      default:
        return new Outcome(ConditionStatus.True, CURRENT, current(state), false, null);
    }
  }

  public static Outcome failed(DatabaseFailure failure) {
    return new Outcome(ConditionStatus.False, failure.reason().name(), failure.getMessage(),
        failure.reason().needsUser(), null);
  }

  /** The database could not be asked: the schema's state is not known. */
  public static Outcome unknown(String reason, String message) {
    return new Outcome(ConditionStatus.Unknown, reason, message, false, null);
  }

  /**
   * Sets SchemaReady on {@code status}.
   *
   * @return the migration's Event, and a warning when the schema goes wrong (once per reason, not per reconcile)
   */
  public static List<PlannedEvent> report(ReducerPipelineStatus status, Outcome outcome, long generation,
      Instant now) {
    List<PlannedEvent> events = new ArrayList<>();
    if (outcome.change() != null) {
      events.add(outcome.change());
    }
    Optional<Condition> previous = status.condition(ConditionTypes.SCHEMA_READY);
    boolean sameFailure = previous.map(c -> c.getStatus() == ConditionStatus.False
        && outcome.reason().equals(c.getReason())).orElse(false);
    if (outcome.status() == ConditionStatus.False && !sameFailure) {
      events.add(PlannedEvent.warning(EventReason.SchemaFailed, outcome.message()));
    }
    Conditions.set(status.getConditions(), ConditionTypes.SCHEMA_READY, outcome.status(), outcome.reason(),
        outcome.message(), generation, now);
    return events;
  }

  /** The schema summed up for Ready and Stalled. */
  public static ConnectionCheck check(Outcome outcome) {
    return outcome.status() == ConditionStatus.True ? ConnectionCheck.ok(outcome.reason(), outcome.message())
        : ConnectionCheck.failed(outcome.reason(), outcome.message(), outcome.needsUser());
  }

  private static String current(CanonicalStoreState state) {
    return "the canonical store in schema " + state.schema() + " is at version " + state.version()
        + (state.version() > CanonicalSchema.CURRENT_VERSION ? " (newer than this operator's "
            + CanonicalSchema.CURRENT_VERSION + "; nothing was changed)" : "");
  }
}
