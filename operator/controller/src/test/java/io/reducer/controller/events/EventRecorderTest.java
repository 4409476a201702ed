package io.reducer.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  private static final int LIMIT = 40;
  private static MockKubernetes kubernetes;

  @BeforeAll
  static void start() {
    kubernetes = MockKubernetes.withCommittedCrds();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  @Test
  void aRepeatWithinTheWindowRaisesTheCountOfOneEvent() {
    SteppingClock clock = new SteppingClock();
    EventRecorder recorder = new EventRecorder(kubernetes.client(), clock);
    ConfigMap object = object("repeat", "uid-repeat");

    recorder.record(object, PlannedEvent.warning(EventReason.ScaledUp, "same message"));
    clock.advance(Duration.ofMinutes(1));
    recorder.record(object, PlannedEvent.warning(EventReason.ScaledUp, "same message"));

    List<Event> events = eventsOf("uid-repeat");
    assertThat(events).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
  }

  @Test
  void aTransitionRecordedAgainByARestartedOperatorStaysOneEvent() {
    SteppingClock clock = new SteppingClock();
    ConfigMap object = object("redo", "uid-redo");
    // The first operator recorded the Event and died before the status write that ends the step.
    new EventRecorder(kubernetes.client(), clock).record(object, PlannedEvent.normal(EventReason.Planned, "plan"));
    clock.advance(Duration.ofSeconds(5));
    EventRecorder restarted = new EventRecorder(kubernetes.client(), clock);
    restarted.record(object, PlannedEvent.normal(EventReason.Planned, "plan"));

    assertThat(eventsOf("uid-redo")).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    // What the restarted operator itself repeats still counts.
    restarted.record(object, PlannedEvent.normal(EventReason.Planned, "plan"));
    assertThat(eventsOf("uid-redo")).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
  }

  @Test
  void anEventOlderThanTheWindowFromAnotherProcessIsARepeat() {
    SteppingClock clock = new SteppingClock();
    ConfigMap object = object("later", "uid-later");
    new EventRecorder(kubernetes.client(), clock).record(object, PlannedEvent.warning(EventReason.Waiting, "wait"));
    clock.advance(Duration.ofMinutes(11));
    new EventRecorder(kubernetes.client(), clock).record(object, PlannedEvent.warning(EventReason.Waiting, "wait"));

    assertThat(eventsOf("uid-later")).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(2);
      assertThat(e.getLastTimestamp()).isEqualTo("2026-01-01T00:11:00Z");
    });
  }

  @Test
  void memoryStaysBoundedAndExpiredEntriesAreDropped() {
    SteppingClock clock = new SteppingClock();
    EventRecorder recorder = new EventRecorder(kubernetes.client(), clock, LIMIT);
    ConfigMap object = object("many", "uid-many");
    for (int i = 0; i <= LIMIT + 100; i++) {
      recorder.record(object, PlannedEvent.normal(EventReason.ScaledUp, "message " + i));
    }
    assertThat(recorder.remembered()).isLessThanOrEqualTo(LIMIT);

    clock.advance(Duration.ofMinutes(11));
    for (int i = 0; i <= LIMIT; i++) {
      recorder.record(object, PlannedEvent.normal(EventReason.ScaledUp, "later " + i));
    }
    // Entries from before the window can never raise a count again: they went first.
    assertThat(recorder.remembered()).isLessThanOrEqualTo(LIMIT);
    clock.advance(Duration.ofSeconds(1));
    recorder.record(object, PlannedEvent.normal(EventReason.ScaledUp, "later " + LIMIT));
    assertThat(eventsOf("uid-many")).filteredOn(e -> e.getMessage().equals("later " + LIMIT))
        .singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
  }

  private static ConfigMap object(String name, String uid) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("events").withUid(uid).endMetadata()
        .build();
  }

  private static List<Event> eventsOf(String uid) {
    return kubernetes.client().v1().events().inNamespace("events").list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid())).toList();
  }

  private static final class SteppingClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
