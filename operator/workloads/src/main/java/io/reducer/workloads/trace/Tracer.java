package io.reducer.workloads.trace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trace: the topics' windows, then (with a database) the canonical store's rows and the projection rows of the
 * workflows found, one timeline by time, and the verdict.
 */
final class Tracer {

  private Tracer() {
  }

  static TraceResult trace(TraceConfig config) throws TraceConfigException {
    CorrelationMatcher matcher = new CorrelationMatcher(config.correlationId());
    TopicScanner.Result topics = TopicScanner.scan(config, matcher);
    List<TimelineEntry> entries = new ArrayList<>(topics.entries());
    Set<String> searched = new HashSet<>();
    config.topics().values().forEach(role -> searched.add(role.entryType()));
    Map<String, Long> rows = null;
    List<String> notes = new ArrayList<>();
    if (config.hasDatabase()) {
      Set<String> keys = new HashSet<>();
      entries.forEach(entry -> keys.add(entry.workflowKey()));
      keys.remove(null);
      StoreScanner.Result store = StoreScanner.scan(config, keys);
      entries.addAll(store.entries());
      rows = store.rows();
      notes.addAll(store.notes());
      searched.addAll(store.searched());
    } else {
      notes.add("no " + TraceOptions.JDBC_URL_FLAG + ": the canonical store and the projection were not read");
    }
    entries.sort(TimelineEntry.BY_TIME);
    long carrying = entries.stream().filter(entry -> !entry.type().equals(TimelineEntry.PROJECTION)).count();
    boolean found = carrying > 0;
    long read = topics.counts().values().stream().mapToLong(TraceResult.TopicCount::recordsRead).sum();
    String scope = topics.counts().size() + (topics.counts().size() == 1 ? " topic" : " topics") + " (" + read
        + " records read in the window)" + (config.hasDatabase() ? " and the canonical store" : "");
    String message = found
        ? carrying + (carrying == 1 ? " record or row carries" : " records and rows carry") + " correlation id "
            + config.correlationId() + " between " + config.window() + " on " + scope
        : "nothing carries correlation id " + config.correlationId() + " between " + config.window() + " on " + scope;
    return new TraceResult(found ? TraceResult.FOUND : TraceResult.NOT_FOUND, config.correlationId(),
        new TraceResult.Window(config.window().since().toString(),
            config.window().until() == null ? null : config.window().until().toString()),
        entries, entries.size(), Verdict.of(entries, searched, config.correlationId()),
        new TraceResult.Counts(topics.counts(), rows), notes.isEmpty() ? null : notes, message);
  }
}
