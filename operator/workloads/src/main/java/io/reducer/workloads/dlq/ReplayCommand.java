package io.reducer.workloads.dlq;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;

/**
 * {@code workloads dlq replay}: parses the flags, runs the {@link Replayer}, prints the outcome and writes
 * {@link DlqReplayResult} to the termination log. SIGTERM commits the open transaction and stops.
 */
final class ReplayCommand {

  /** Kubernetes waits 30 s by default between SIGTERM and SIGKILL; finish well before. */
  private static final long SHUTDOWN_GRACE_SECONDS = 20;

  private ReplayCommand() {
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    ReplayConfig config;
    try {
      config = ReplayConfig.parse(DlqOptions.parse("replay", args, env), DlqOptions.kafkaSecurity(env));
    } catch (ConfigException e) {
      err.println("dlq replay: configuration error: " + e.getMessage());
      DlqCommand.writeQuietly(DlqCommand.terminationLogFromEnv(args, env), TerminationMessage.fit(
          new DlqReplayResult(DlqReplayResult.Progress.none(), DlqReplayResult.FAILED,
              "configuration error: " + e.getMessage())), err);
      return ExitCodes.BAD_CONFIGURATION;
    }
    Replayer replayer = new Replayer(config, out);
    CountDownLatch finished = new CountDownLatch(1);
    int[] exitCode = {ExitCodes.FAILURE};
    Thread hook = new Thread(() -> {
      replayer.stop();
      try {
        if (finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
          // Without this the JVM reports 143 (killed by SIGTERM) even though the shutdown was clean.
          Runtime.getRuntime().halt(exitCode[0]);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "dlq-replay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Replayer.Outcome outcome;
    try {
      outcome = replayer.run();
      DlqReplayResult result = outcome.result();
      DlqReplayResult.Progress progress = result.progress();
      (outcome.exitCode() == ExitCodes.OK ? out : err).println("dlq replay '" + config.replayName() + "': "
          + result.result() + ": matched=" + progress.matched() + " replayed=" + progress.replayed() + " skipped="
          + progress.skipped() + " " + progress.skippedByReason() + " failed=" + progress.failed() + "; "
          + result.message());
      DlqCommand.writeQuietly(config.selection().terminationLog(), TerminationMessage.fit(result), err);
      exitCode[0] = outcome.exitCode();
    } finally {
      finished.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook already runs and waits for us
    }
    return outcome.exitCode();
  }
}
