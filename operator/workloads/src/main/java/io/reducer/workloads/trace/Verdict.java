package io.reducer.workloads.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which stages of the system the correlation id reached, in the system's order: received (actions topic), then
 * reduced (a history row) or rejected (a dead letter or a gave-up row), published (state-committed, or a published
 * outbox row), materialized (the projection row of each workflow at or past the version the id committed). A stage
 * whose source was not searched is {@link Status#NOT_CHECKED}, never "not reached".
 *
 * @param stages in the order above
 * @param furthest the last of received, reduced, published, materialized that was reached; null for none
 * @param summary one sentence, with where to look next when the id stopped somewhere
 */
public record Verdict(List<Stage> stages, String furthest, String summary) {

  public static final String RECEIVED = "received";
  public static final String REDUCED = "reduced";
  public static final String REJECTED = "rejected";
  public static final String PUBLISHED = "published";
  public static final String MATERIALIZED = "materialized";

  /** Whether a stage was reached. */
  public enum Status { REACHED, NOT_REACHED, NOT_CHECKED }

  /** One stage with what shows it (or why it is not known). */
  public record Stage(String name, Status status, String evidence) {
  }

  /**
   * @param entries every timeline entry
   * @param searched the entry types whose sources were searched (topics of a role, tables that exist)
   */
  static Verdict of(List<TimelineEntry> entries, Set<String> searched, String correlationId) {
    Evidence evidence = new Evidence(entries, searched);
    List<Stage> stages = List.of(evidence.received(), evidence.reduced(), evidence.rejected(), evidence.published(),
        evidence.materialized());
    Map<String, Stage> byName = new LinkedHashMap<>();
    stages.forEach(stage -> byName.put(stage.name(), stage));
    String furthest = null;
    for (String name : List.of(RECEIVED, REDUCED, PUBLISHED, MATERIALIZED)) {
      if (byName.get(name).status() == Status.REACHED) {
        furthest = name;
      }
    }
    return new Verdict(stages, furthest, summary(entries, byName, correlationId));
  }

  /** The stage of that name. */
  public Stage stage(String name) {
    return stages.stream().filter(stage -> stage.name().equals(name)).findFirst().orElseThrow();
  }

  private static String summary(List<TimelineEntry> entries, Map<String, Stage> stages, String correlationId) {
    if (entries.isEmpty()) {
      return "nothing carries correlation id " + correlationId + " in the window";
    }
    List<String> reached = new ArrayList<>();
    stages.values().forEach(stage -> {
      if (stage.status() == Status.REACHED) {
        reached.add(stage.name());
      }
    });
    String path = reached.isEmpty() ? "no stage of the pipeline reached (only other records)"
        : String.join(", ", reached);
    String next = next(stages, correlationId);
    return next == null ? path : path + ". " + next;
  }

  /** Where to look, for the first stage the id should have reached and did not. */
  private static String next(Map<String, Stage> stages, String correlationId) {
    boolean received = reached(stages, RECEIVED);
    boolean reduced = reached(stages, REDUCED);
    boolean rejected = reached(stages, REJECTED);
    boolean published = reached(stages, PUBLISHED);
    if (received && !reduced && !rejected && missing(stages, REDUCED) && missing(stages, REJECTED)) {
      return "Received but neither reduced nor rejected: the reducer has not read it yet (check its consumer lag), "
          + "or skipped it as an action id it had processed before (action_dedup_log)";
    }
    if (rejected && !reduced) {
      return "Rejected: " + stages.get(REJECTED).evidence() + "; workloads dlq inspect --correlation-id "
          + correlationId + " shows what a replay would send";
    }
    if (reduced && !published && missing(stages, PUBLISHED)) {
      return "Reduced but not published: check the outbox backlog and the relay (docs/reducer.md, The outbox)";
    }
    if (published && missing(stages, MATERIALIZED)) {
      return "Published but not materialized: " + stages.get(MATERIALIZED).evidence()
          + "; check the projection's lag (kubectl get proj)";
    }
    if (!received && missing(stages, RECEIVED) && (reduced || rejected || published)) {
      return "No action on the actions topic in the window: it arrived before the window started; widen --since";
    }
    return null;
  }

  private static boolean reached(Map<String, Stage> stages, String name) {
    return stages.get(name).status() == Status.REACHED;
  }

  private static boolean missing(Map<String, Stage> stages, String name) {
    return stages.get(name).status() == Status.NOT_REACHED;
  }

  /** The entries seen by stage. */
  private static final class Evidence {

    private final List<TimelineEntry> entries;
    private final Set<String> searched;

    Evidence(List<TimelineEntry> entries, Set<String> searched) {
      this.entries = entries;
      this.searched = searched;
    }

    Stage received() {
      List<TimelineEntry> actions = of(TimelineEntry.ACTION);
      if (!actions.isEmpty()) {
        return new Stage(RECEIVED, Status.REACHED, records(actions) + " " + distinct(actions, TimelineEntry::trigger));
      }
      return searched.contains(TimelineEntry.ACTION) ? new Stage(RECEIVED, Status.NOT_REACHED, "no action record")
          : new Stage(RECEIVED, Status.NOT_CHECKED, "no actions topic given");
    }

    Stage reduced() {
      List<TimelineEntry> history = of(TimelineEntry.HISTORY);
      if (!history.isEmpty()) {
        return new Stage(REDUCED, Status.REACHED, versions(history) + " (" + history.get(0).source() + ")");
      }
      List<TimelineEntry> committed = committed();
      if (!committed.isEmpty()) {
        return new Stage(REDUCED, Status.REACHED, versions(committed) + ", as published"
            + (searched.contains(TimelineEntry.HISTORY) ? " (no history row in the window)" : " (history not read)"));
      }
      return searched.contains(TimelineEntry.HISTORY) ? new Stage(REDUCED, Status.NOT_REACHED, "no history row")
          : new Stage(REDUCED, Status.NOT_CHECKED, "no database given, or no history table");
    }

    Stage rejected() {
      List<TimelineEntry> rejected = new ArrayList<>(of(TimelineEntry.DLQ));
      rejected.addAll(of(TimelineEntry.GAVE_UP));
      if (!rejected.isEmpty()) {
        Map<String, Long> byError = rejected.stream().collect(Collectors.groupingBy(
            e -> e.errorType() == null ? "(no error type)" : e.errorType(), TreeMap::new, Collectors.counting()));
        return new Stage(REJECTED, Status.REACHED, records(rejected) + " " + byError);
      }
      return searched.contains(TimelineEntry.DLQ) || searched.contains(TimelineEntry.GAVE_UP)
          ? new Stage(REJECTED, Status.NOT_REACHED, "no dead letter and no gave-up row")
          : new Stage(REJECTED, Status.NOT_CHECKED, "no DLQ topic given and no gave-up table read");
    }

    Stage published() {
      List<TimelineEntry> events = of(TimelineEntry.STATE_COMMITTED);
      if (!events.isEmpty()) {
        return new Stage(PUBLISHED, Status.REACHED, versions(events) + " on " + sources(events));
      }
      List<TimelineEntry> outbox = of(TimelineEntry.OUTBOX);
      List<TimelineEntry> relayed = outbox.stream().filter(e -> Boolean.TRUE.equals(e.published())).toList();
      if (!relayed.isEmpty()) {
        return new Stage(PUBLISHED, Status.REACHED, versions(relayed) + ", outbox rows behind the relay's cursor"
            + (searched.contains(TimelineEntry.STATE_COMMITTED) ? " (no state-committed record in the window)" : ""));
      }
      if (!outbox.isEmpty()) {
        return new Stage(PUBLISHED, Status.NOT_REACHED, versions(outbox) + " waiting in the outbox");
      }
      return searched.contains(TimelineEntry.STATE_COMMITTED) || searched.contains(TimelineEntry.OUTBOX)
          ? new Stage(PUBLISHED, Status.NOT_REACHED, "no state-committed record and no outbox row")
          : new Stage(PUBLISHED, Status.NOT_CHECKED, "no state-committed topic given and no outbox table read");
    }

    Stage materialized() {
      Map<String, Long> wanted = new TreeMap<>();
      for (TimelineEntry entry : entries) {
        if (entry.version() != null && entry.workflowKey() != null && (entry.type().equals(TimelineEntry.HISTORY)
            || entry.type().equals(TimelineEntry.STATE_COMMITTED) || entry.type().equals(TimelineEntry.OUTBOX))) {
          wanted.merge(entry.workflowKey(), entry.version(), Math::max);
        }
      }
      if (!searched.contains(TimelineEntry.PROJECTION)) {
        return new Stage(MATERIALIZED, Status.NOT_CHECKED, "no database given, or no projection table");
      }
      if (wanted.isEmpty()) {
        return new Stage(MATERIALIZED, Status.NOT_CHECKED, "no committed version to look for");
      }
      Map<String, Long> rows = new TreeMap<>();
      of(TimelineEntry.PROJECTION).forEach(row -> rows.put(row.workflowKey(), row.version()));
      List<String> behind = new ArrayList<>();
      List<String> done = new ArrayList<>();
      wanted.forEach((key, version) -> {
        Long row = rows.get(key);
        if (row == null) {
          behind.add(key + " has no projection row (needs v" + version + ")");
        } else if (row < version) {
          behind.add(key + " at v" + row + ", needs v" + version);
        } else {
          done.add(key + " at v" + row);
        }
      });
      String table = of(TimelineEntry.PROJECTION).stream().map(TimelineEntry::source).findFirst().orElse("projection");
      return behind.isEmpty() ? new Stage(MATERIALIZED, Status.REACHED, String.join(", ", done) + " in " + table)
          : new Stage(MATERIALIZED, Status.NOT_REACHED, String.join(", ", behind));
    }

    private List<TimelineEntry> of(String type) {
      return matching(e -> e.type().equals(type));
    }

    /** state-committed records, and outbox rows the relay published. */
    private List<TimelineEntry> committed() {
      return matching(e -> e.type().equals(TimelineEntry.STATE_COMMITTED)
          || e.type().equals(TimelineEntry.OUTBOX) && Boolean.TRUE.equals(e.published()));
    }

    private List<TimelineEntry> matching(Predicate<TimelineEntry> predicate) {
      return entries.stream().filter(predicate).toList();
    }

    private static String records(List<TimelineEntry> entries) {
      return entries.size() + (entries.size() == 1 ? " record" : " records") + " on " + sources(entries);
    }

    private static String sources(List<TimelineEntry> entries) {
      return String.join(", ", distinctValues(entries, TimelineEntry::source));
    }

    private static String distinct(List<TimelineEntry> entries, Function<TimelineEntry, String> f) {
      Set<String> values = distinctValues(entries, f);
      return values.isEmpty() ? "" : "(" + String.join(", ", values) + ")";
    }

    private static Set<String> distinctValues(List<TimelineEntry> entries,
        Function<TimelineEntry, String> f) {
      Set<String> values = new LinkedHashSet<>();
      entries.forEach(entry -> {
        if (f.apply(entry) != null) {
          values.add(f.apply(entry));
        }
      });
      return values;
    }

    /** {@code order-42 v1, v2; order-43 v1}. */
    private static String versions(List<TimelineEntry> entries) {
      Map<String, Set<Long>> byKey = new TreeMap<>();
      entries.forEach(e -> byKey.computeIfAbsent(String.valueOf(e.workflowKey()),
          k -> new TreeSet<>(Comparator.nullsFirst(Comparator.<Long>naturalOrder()))).add(e.version()));
      List<String> parts = new ArrayList<>();
      byKey.forEach((key, versions) -> parts.add(key + " " + versions.stream().map(v -> v == null ? "v?" : "v" + v)
          .collect(Collectors.joining(", "))));
      return String.join("; ", parts);
    }
  }
}
