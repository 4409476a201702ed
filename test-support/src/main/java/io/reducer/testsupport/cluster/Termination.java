package io.reducer.testsupport.cluster;

import io.reducer.testsupport.internal.LogTail;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;

/**
 * How a container run ended, as {@code state.terminated} reports it. The message follows kubelet: the termination
 * log (at most 4096 bytes); if that is empty, the run failed and the policy is {@code FallbackToLogsOnError}, the
 * end of this run's log (at most 2048 bytes and 80 lines).
 */
record Termination(int exitCode, String reason, String message, Instant startedAt, Instant finishedAt,
    String containerId) {

  private static final int MESSAGE_BYTES = 4096;
  private static final int FALLBACK_BYTES = 2048;
  private static final int FALLBACK_LINES = 80;

  static Termination of(ContainerRun run, int exitCode, String messagePolicy, Instant finishedAt) {
    String message = terminationLog(run);
    if (message.isEmpty() && exitCode != 0 && "FallbackToLogsOnError".equals(messagePolicy)) {
      message = logTail(run);
    }
    return new Termination(exitCode, exitCode == 0 ? "Completed" : "Error", message.isEmpty() ? null : message,
        run.startedAt, finishedAt, run.containerId());
  }

  private static String terminationLog(ContainerRun run) {
    try (InputStream in = Files.newInputStream(run.terminationLog)) {
      return new String(in.readNBytes(MESSAGE_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String logTail(ContainerRun run) {
    try {
      return LogTail.lastLines(run.logFile, run.logOffset, FALLBACK_BYTES, FALLBACK_LINES);
    } catch (IOException e) {
      return "";
    }
  }
}
