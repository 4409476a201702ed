package io.reducer.controller.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on custom resources, so {@code kubectl describe} and {@code kubectl get events} show
 * the operator's decisions. A repeat of the same reason and message on the same object within ten minutes
 * raises the count of the existing Event instead of adding one, as kubelet does. The memory of recent Events is
 * bounded: an entry older than that window can no longer raise a count and is dropped, and past
 * {@link #MAX_REMEMBERED} entries the oldest go first (a later repeat then starts a new Event, nothing worse).
 *
 * <p>An Event's name is derived from its object's uid, reason and message, so recording it is idempotent across
 * processes: an operator that died after recording a transition's Event but before writing the status that ends the
 * step redoes the step after its restart, and finds the Event there instead of adding a second one.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "reducer-operator";
  private static final Duration SERIES_WINDOW = Duration.ofMinutes(10);
  /** Enough for every object of a large installation to have a few distinct recent Events. */
  static final int MAX_REMEMBERED = 4096;

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<Key, Recorded> recent = new ConcurrentHashMap<>();

  private final int maxRemembered;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this(client, clock, MAX_REMEMBERED);
  }

  EventRecorder(KubernetesClient client, Clock clock, int maxRemembered) {
    this.client = client;
    this.clock = clock;
    this.maxRemembered = maxRemembered;
  }

  /** Records the event; a failure to record is logged, never fails the reconciliation. */
  public void record(HasMetadata object, PlannedEvent planned) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String namespace = object.getMetadata().getNamespace();
    Key key = new Key(object.getMetadata().getUid(), planned.reason(), planned.message());
    try {
      Recorded previous = recent.get(key);
      if (previous != null && Duration.between(previous.last, now).compareTo(SERIES_WINDOW) < 0) {
        int count = previous.count + 1;
        Event updated = client.v1().events().inNamespace(namespace).withName(previous.name)
            .edit(e -> new EventBuilder(e).withCount(count).withLastTimestamp(now.toString()).build());
        if (updated != null) {
          remember(key, new Recorded(previous.name, count, now));
          return;
        }
      }
      String name = EventNames.of(object, planned);
      Event event = new EventBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(object.getApiVersion())
              .withKind(object.getKind()).withName(object.getMetadata().getName()).withNamespace(namespace)
              .withUid(object.getMetadata().getUid()).build())
          .withReason(planned.reason().name())
          .withMessage(planned.message())
          .withType(planned.type())
          .withCount(1)
          .withFirstTimestamp(now.toString())
          .withLastTimestamp(now.toString())
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build();
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
        remember(key, new Recorded(name, 1, now));
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        adoptRecorded(namespace, name, key, now);
      }
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}/{}: {}", planned, namespace, object.getMetadata().getName(),
          e.getMessage());
    }
  }

  /**
   * The Event exists but this process does not remember it: a previous process recorded it. Within the window that
   * is the same occurrence (the step was redone after a restart), so it is only remembered; an older one is a repeat
   * and raises the count.
   */
  private void adoptRecorded(String namespace, String name, Key key, Instant now) {
    var resource = client.v1().events().inNamespace(namespace).withName(name);
    Event existing = resource.get();
    if (existing == null) {
      return;
    }
    int count = existing.getCount() == null ? 1 : existing.getCount();
    Instant last = lastTimestamp(existing, now);
    if (Duration.between(last, now).compareTo(SERIES_WINDOW) < 0) {
      remember(key, new Recorded(name, count, last));
      return;
    }
    resource.edit(e -> new EventBuilder(e).withCount(count + 1).withLastTimestamp(now.toString()).build());
    remember(key, new Recorded(name, count + 1, now));
  }

  private static Instant lastTimestamp(Event event, Instant fallback) {
    try {
      return event.getLastTimestamp() == null ? fallback : Instant.parse(event.getLastTimestamp());
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }

  private void remember(Key key, Recorded recorded) {
    recent.put(key, recorded);
    if (recent.size() <= maxRemembered) {
      return;
    }
    Instant expired = recorded.last.minus(SERIES_WINDOW);
    recent.values().removeIf(r -> !r.last.isAfter(expired));
    int excess = recent.size() - maxRemembered * 3 / 4;
    if (excess > 0) {
      // Never the entry just recorded: it is the one most likely to repeat.
      recent.entrySet().stream().filter(e -> !e.getKey().equals(key))
          .sorted(Comparator.comparing(e -> e.getValue().last)).limit(excess)
          .map(Map.Entry::getKey).toList().forEach(recent::remove);
    }
  }

  /** How many recent Events are remembered for series counting. */
  int remembered() {
    return recent.size();
  }

  /** Drops the memory of an object's events when the object is gone. */
  public void forget(String uid) {
    recent.keySet().removeIf(k -> Objects.equals(k.uid, uid));
  }

  private static final class Key {
    private final String uid;
    private final EventReason reason;
    private final String message;

    Key(String uid, EventReason reason, String message) {
      this.uid = uid;
      this.reason = reason;
      this.message = message;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && Objects.equals(((Key) o).uid, uid) && ((Key) o).reason == reason
          && ((Key) o).message.equals(message);
    }

    @Override
    public int hashCode() {
      return Objects.hash(uid, reason, message);
    }
  }

  private static final class Recorded {
    private final String name;
    private final int count;
    private final Instant last;

    Recorded(String name, int count, Instant last) {
      this.name = name;
      this.count = count;
      this.last = last;
    }
  }
}
