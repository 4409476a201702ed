package io.reducer.workloads.materializer;

/** The watermark epoch is no longer ours: a reset happened, this process is a zombie and must stop writing. */
final class FencedException extends Exception {

  private final long droppedRecords;

  FencedException(String message, long droppedRecords) {
    super(message);
    this.droppedRecords = droppedRecords;
  }

  long droppedRecords() {
    return droppedRecords;
  }
}
