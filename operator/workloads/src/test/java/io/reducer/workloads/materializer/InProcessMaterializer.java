package io.reducer.workloads.materializer;

import io.reducer.workloads.cli.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A materializer on a thread of the test JVM, for tests that read its meters directly. */
public final class InProcessMaterializer implements AutoCloseable {

  public final Materializer materializer;
  final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  public InProcessMaterializer(Map<String, String> env, List<String> args) throws ConfigException {
    materializer = MaterializeCommand.prepare(MaterializerConfig.parse(args, env));
    Thread thread = new Thread(() -> {
      try {
        exitCode.complete(materializer.run());
      } catch (Throwable t) {
        exitCode.completeExceptionally(t);
      }
    }, "materializer-under-test");
    thread.setDaemon(true);
    thread.start();
  }

  public MaterializerMetrics metrics() {
    return materializer.metrics();
  }

  public int awaitExit(Duration timeout) throws Exception {
    return exitCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    materializer.stop();
    try {
      if (!materializer.awaitStopped(Duration.ofSeconds(30))) {
        throw new IllegalStateException("materializer did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the materializer", e);
    }
  }
}
