package io.reducer.workloads.materializer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the highest version per key of a batch, so one upsert statement never touches a row twice (PostgreSQL
 * refuses that) and a lower version never reaches the database after a higher one.
 */
public final class LatestPerKey {

  private LatestPerKey() {
  }

  /**
   * @param latest per key, the event with the highest version (the first one on a tie), in first-seen order
   * @param rowsPerKey how many events of the batch had this key
   * @param staleInBatch per key, events whose version was not above an earlier event of the same key in the
   *     batch: applied one by one, they would have been skipped as duplicates
   */
  public record Result(List<StateCommitted> latest, Map<String, Integer> rowsPerKey, Map<String, Integer> staleInBatch) {
  }

  public static Result of(List<StateCommitted> events) {
    Map<String, StateCommitted> latest = new LinkedHashMap<>();
    Map<String, Integer> rows = new LinkedHashMap<>();
    Map<String, Integer> stale = new LinkedHashMap<>();
    for (StateCommitted event : events) {
      String key = event.workflowKey();
      rows.merge(key, 1, Integer::sum);
      StateCommitted current = latest.get(key);
      if (current == null || event.version() > current.version()) {
        latest.put(key, event);
      } else {
        stale.merge(key, 1, Integer::sum);
      }
    }
    return new Result(new ArrayList<>(latest.values()), rows, stale);
  }
}
