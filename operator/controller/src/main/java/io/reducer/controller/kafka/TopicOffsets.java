package io.reducer.controller.kafka;

import java.util.Arrays;

/** Log-start and log-end offsets of every partition of one topic, as seen by one probe. */
public final class TopicOffsets {

  private final String topic;
  private final long[] logStart;
  private final long[] logEnd;

  public TopicOffsets(String topic, long[] logStart, long[] logEnd) {
    if (logStart.length != logEnd.length) {
      throw new IllegalArgumentException("start and end offsets differ in partition count");
    }
    this.topic = topic;
    this.logStart = logStart.clone();
    this.logEnd = logEnd.clone();
  }

  public String topic() {
    return topic;
  }

  public int partitions() {
    return logEnd.length;
  }

  public long logStart(int partition) {
    return logStart[partition];
  }

  public long logEnd(int partition) {
    return logEnd[partition];
  }

  @Override
  public String toString() {
    return topic + " start=" + Arrays.toString(logStart) + " end=" + Arrays.toString(logEnd);
  }
}
