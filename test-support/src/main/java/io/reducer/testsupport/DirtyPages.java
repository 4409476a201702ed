package io.reducer.testsupport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's page cache between the phases of a benchmark. A phase that writes half a gigabyte to the broker's
 * log or the database in seconds leaves it dirty, and the kernel writes it back some 30 s later, from whichever
 * phase runs then: each phase starts after {@link #writeBack()}, so none runs in the write-back of another.
 */
public final class DirtyPages {

  private static final long TIMEOUT_SECONDS = 300;

  private DirtyPages() {
  }

  /** Runs {@code sync}: returns once every dirty page of the machine is on disk. */
  public static void writeBack() throws IOException, InterruptedException {
    Process sync = new ProcessBuilder("sync").inheritIO().start();
    if (!sync.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      sync.destroyForcibly();
      throw new IllegalStateException("sync did not finish within " + TIMEOUT_SECONDS + " s");
    }
  }
}
