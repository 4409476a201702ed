package io.reducer.controller.postgres;

import java.time.Instant;

/** One row of projection_watermarks: the next offset a projection applies on a partition, under an epoch. */
public final class Watermark {

  private final int partition;
  private final long nextOffset;
  private final long epoch;
  private final Instant lastEventTime;
  private final Instant updatedAt;

  public Watermark(int partition, long nextOffset, long epoch, Instant lastEventTime, Instant updatedAt) {
    this.partition = partition;
    this.nextOffset = nextOffset;
    this.epoch = epoch;
    this.lastEventTime = lastEventTime;
    this.updatedAt = updatedAt;
  }

  public int partition() {
    return partition;
  }

  public long nextOffset() {
    return nextOffset;
  }

  public long epoch() {
    return epoch;
  }

  /** Commit time of the last applied event; null before the first one. */
  public Instant lastEventTime() {
    return lastEventTime;
  }

  public Instant updatedAt() {
    return updatedAt;
  }
}
