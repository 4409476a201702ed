package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.trace.Verdict.Status;

/** The stages a correlation id reached, in the order of the system, and where to look when it stopped. */
class VerdictTest {

  private static final Set<String> EVERYTHING = Set.of(TimelineEntry.ACTION, TimelineEntry.STATE_COMMITTED,
      TimelineEntry.DLQ, TimelineEntry.HISTORY, TimelineEntry.GAVE_UP, TimelineEntry.OUTBOX, TimelineEntry.STATE,
      TimelineEntry.PROJECTION);
  private static final Set<String> KAFKA_ONLY = Set.of(TimelineEntry.ACTION, TimelineEntry.STATE_COMMITTED,
      TimelineEntry.DLQ);

  @Test
  void allTheWayThroughWithARejectionOnTheSide() {
    List<TimelineEntry> entries = List.of(action(), history(1), history(2), dlq("INVALID_TRANSITION"),
        event(1), event(2), projection(2));
    Verdict verdict = Verdict.of(entries, EVERYTHING, "c-1");

    assertThat(statuses(verdict)).containsExactly(Status.REACHED, Status.REACHED, Status.REACHED, Status.REACHED,
        Status.REACHED);
    assertThat(verdict.furthest()).isEqualTo(Verdict.MATERIALIZED);
    assertThat(verdict.stage(Verdict.REDUCED).evidence()).isEqualTo("order-42 v1, v2 (public.workflow_state_history)");
    assertThat(verdict.stage(Verdict.REJECTED).evidence()).isEqualTo("1 record on orders.dlq {INVALID_TRANSITION=1}");
    assertThat(verdict.stage(Verdict.PUBLISHED).evidence()).isEqualTo("order-42 v1, v2 on orders.state-committed");
    assertThat(verdict.stage(Verdict.MATERIALIZED).evidence())
        .isEqualTo("order-42 at v2 in public.workflow_projection");
    assertThat(verdict.summary()).isEqualTo("received, reduced, rejected, published, materialized");
  }

  @Test
  void receivedOnlyPointsAtTheReducer() {
    Verdict verdict = Verdict.of(List.of(action()), EVERYTHING, "c-1");
    assertThat(statuses(verdict)).containsExactly(Status.REACHED, Status.NOT_REACHED, Status.NOT_REACHED,
        Status.NOT_REACHED, Status.NOT_CHECKED);
    assertThat(verdict.furthest()).isEqualTo(Verdict.RECEIVED);
    assertThat(verdict.summary()).startsWith("received. Received but neither reduced nor rejected")
        .contains("consumer lag");
  }

  @Test
  void rejectedOnlyNamesTheErrorAndTheInspectCommand() {
    Verdict verdict = Verdict.of(List.of(action(), dlq("VALIDATION_ERROR"), gaveUp()), EVERYTHING, "c-1");
    assertThat(verdict.stage(Verdict.REJECTED).status()).isEqualTo(Status.REACHED);
    assertThat(verdict.stage(Verdict.REJECTED).evidence()).isEqualTo(
        "2 records on orders.dlq, public.reducer_gaveup_log {REDUCER_GAVE_UP=1, VALIDATION_ERROR=1}");
    assertThat(verdict.summary()).contains("Rejected:").contains("workloads dlq inspect --correlation-id c-1");
  }

  @Test
  void reducedButStuckInTheOutboxPointsAtTheRelay() {
    Verdict verdict = Verdict.of(List.of(action(), history(1), outbox(1, false)), EVERYTHING, "c-1");
    assertThat(verdict.stage(Verdict.PUBLISHED).status()).isEqualTo(Status.NOT_REACHED);
    assertThat(verdict.stage(Verdict.PUBLISHED).evidence()).isEqualTo("order-42 v1 waiting in the outbox");
    assertThat(verdict.summary()).contains("Reduced but not published").contains("outbox");

    Verdict relayed = Verdict.of(List.of(action(), history(1), outbox(1, true)), EVERYTHING, "c-1");
    assertThat(relayed.stage(Verdict.PUBLISHED).status()).isEqualTo(Status.REACHED);
  }

  @Test
  void publishedButTheProjectionIsBehind() {
    Verdict verdict = Verdict.of(List.of(action(), history(1), history(2), event(1), event(2), projection(1)),
        EVERYTHING, "c-1");
    assertThat(verdict.stage(Verdict.MATERIALIZED).status()).isEqualTo(Status.NOT_REACHED);
    assertThat(verdict.stage(Verdict.MATERIALIZED).evidence()).isEqualTo("order-42 at v1, needs v2");
    assertThat(verdict.furthest()).isEqualTo(Verdict.PUBLISHED);
    assertThat(verdict.summary()).contains("Published but not materialized: order-42 at v1, needs v2");

    Verdict noRow = Verdict.of(List.of(action(), history(1), event(1)), EVERYTHING, "c-1");
    assertThat(noRow.stage(Verdict.MATERIALIZED).evidence()).isEqualTo("order-42 has no projection row (needs v1)");
  }

  @Test
  void whatWasNotSearchedIsNotCheckedNotMissing() {
    Verdict verdict = Verdict.of(List.of(event(3)), Set.of(TimelineEntry.STATE_COMMITTED), "c-1");
    assertThat(statuses(verdict)).containsExactly(Status.NOT_CHECKED, Status.REACHED, Status.NOT_CHECKED,
        Status.REACHED, Status.NOT_CHECKED);
    assertThat(verdict.stage(Verdict.REDUCED).evidence()).isEqualTo("order-42 v3, as published (history not read)");

    Verdict kafka = Verdict.of(List.of(event(3)), KAFKA_ONLY, "c-1");
    assertThat(kafka.stage(Verdict.RECEIVED).status()).isEqualTo(Status.NOT_REACHED);
    assertThat(kafka.summary()).contains("No action on the actions topic in the window").contains("--since");
  }

  @Test
  void nothingFound() {
    Verdict verdict = Verdict.of(List.of(), EVERYTHING, "c-1");
    assertThat(verdict.furthest()).isNull();
    assertThat(verdict.summary()).isEqualTo("nothing carries correlation id c-1 in the window");
  }

  private static List<Status> statuses(Verdict verdict) {
    List<Status> statuses = new ArrayList<>();
    verdict.stages().forEach(stage -> statuses.add(stage.status()));
    return statuses;
  }

  private static TimelineEntry action() {
    return new TimelineEntry("2026-12-04T10:00:00Z", "orders.actions", 0, 7L, TimelineEntry.ACTION, "order-42", null,
        "PROCESSING", null, null, null, "correlation_id", null);
  }

  private static TimelineEntry dlq(String errorType) {
    return new TimelineEntry("2026-12-04T10:00:01Z", "orders.dlq", 0, 1L, TimelineEntry.DLQ, "order-42", null,
        "PENDING", null, errorType, null, "dlq format materializer", null);
  }

  private static TimelineEntry event(long version) {
    return new TimelineEntry("2026-12-04T10:00:02Z", "orders.state-committed", 0, version,
        TimelineEntry.STATE_COMMITTED, "order-42", version, null, "PROCESSING", null, null, "header", null);
  }

  private static TimelineEntry history(long version) {
    return TimelineEntry.row(Instant.parse("2026-12-04T10:00:01Z"), "public.workflow_state_history",
        TimelineEntry.HISTORY, "order-42", version, "PROCESSING", "PROCESSING", null, null, "correlation_id", null);
  }

  private static TimelineEntry gaveUp() {
    return TimelineEntry.row(Instant.parse("2026-12-04T10:00:01Z"), "public.reducer_gaveup_log",
        TimelineEntry.GAVE_UP, "order-42", null, "PROCESSING", null, "REDUCER_GAVE_UP", null, "correlation_id", null);
  }

  private static TimelineEntry outbox(long version, boolean published) {
    return TimelineEntry.row(Instant.parse("2026-12-04T10:00:01Z"), "public.reducer_outbox", TimelineEntry.OUTBOX,
        "order-42", version, null, "PROCESSING", null, null, "correlation_id", published);
  }

  private static TimelineEntry projection(long version) {
    return TimelineEntry.row(Instant.parse("2026-12-04T10:00:03Z"), "public.workflow_projection",
        TimelineEntry.PROJECTION, "order-42", version, null, "PROCESSING", null, null, "workflow_key", null);
  }
}
