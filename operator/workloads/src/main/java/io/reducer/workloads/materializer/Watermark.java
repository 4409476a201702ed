package io.reducer.workloads.materializer;

/** A partition's row in projection_watermarks: where to read next, and the epoch this position belongs to. */
record Watermark(long nextOffset, long epoch) {
}
