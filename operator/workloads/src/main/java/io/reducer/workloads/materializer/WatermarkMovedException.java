package io.reducer.workloads.materializer;

/** The watermark moved under this process (another instance owns the partition now); re-seek from the database. */
final class WatermarkMovedException extends Exception {

  WatermarkMovedException(String message) {
    super(message);
  }
}
