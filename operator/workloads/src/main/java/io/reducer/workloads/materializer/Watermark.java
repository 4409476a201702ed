package io.reducer.workloads.materializer;

import java.time.Instant;

/**
 * A partition's row in projection_watermarks: the next offset a projection applies on it, under an epoch. The
 * materializer and the operator read it with this one type.
 *
 * @param lastEventTime commit time of the last applied event; null before the first one, and where the reader did
 *     not ask for it (a materializer keeps only offsets and epochs)
 * @param updatedAt when the row last changed; null where the reader did not ask for it
 */
public record Watermark(int partition, long nextOffset, long epoch, Instant lastEventTime, Instant updatedAt) {

  /** A position as a materializer holds it: where to read next and the epoch it belongs to. */
  public static Watermark position(int partition, long nextOffset, long epoch) {
    return new Watermark(partition, nextOffset, epoch, null, null);
  }
}
