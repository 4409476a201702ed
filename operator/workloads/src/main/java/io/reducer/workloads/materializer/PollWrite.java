package io.reducer.workloads.materializer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * What writing a poll's batches left for the poll loop to do, since the writer touches neither the consumer nor the
 * loop's positions: the parts that committed, the partitions to seek from the database again (guard failed or the
 * transaction rolled back), whether to wait before that, and the fencing that stops the process.
 */
final class PollWrite {

  private final List<PollPart> committed = new ArrayList<>();
  private final Set<TopicPartition> reload = new LinkedHashSet<>();
  private boolean backOff;
  private FencedException fenced;

  void committed(PollPart part) {
    committed.add(part);
  }

  void reload(TopicPartition partition) {
    reload.add(partition);
  }

  void reloadLater(TopicPartition partition) {
    reload.add(partition);
    backOff = true;
  }

  void fenced(FencedException e) {
    fenced = e;
  }

  List<PollPart> committed() {
    return committed;
  }

  Set<TopicPartition> reload() {
    return reload;
  }

  boolean backOff() {
    return backOff;
  }

  FencedException fenced() {
    return fenced;
  }
}
