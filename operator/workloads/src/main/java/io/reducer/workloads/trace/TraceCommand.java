package io.reducer.workloads.trace;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * {@code workloads trace}: finds every record and row that carries a correlation id in a time window and prints
 * the timeline and the verdict, as text or ({@code -o json}) as exactly one JSON document on stdout; messages go to
 * stderr. Writes the JSON (or a summary that fits) to the termination log. Exit codes: {@link ExitCodes#OK} found,
 * {@link ExitCodes#NOT_FOUND} nothing carries the id, {@link ExitCodes#BAD_CONFIGURATION} a bad setting or an
 * unreachable broker or database, {@link ExitCodes#FAILURE} anything else.
 */
public final class TraceCommand {

  private TraceCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, Clock.systemUTC());
  }

  /** With the clock a duration in --since and --until counts back from; tests pass a fixed one. */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(TraceOptions.usage());
      return ExitCodes.OK;
    }
    TraceConfig config;
    try {
      config = TraceConfig.parse(args, env, clock.instant());
    } catch (TraceConfigException e) {
      String id = CommandOptions.rawValue(args, TraceOptions.CORRELATION_ID_FLAG,
          env.get(TraceOptions.CORRELATION_ID_ENV));
      return failed(ExitCodes.BAD_CONFIGURATION, TraceResult.failed(id, "configuration error: " + e.getMessage()),
          TraceConfig.wantsJson(args, env), TerminationMessage.path(args, env), out, err);
    }
    TraceResult result;
    try {
      result = Tracer.trace(config);
    } catch (TraceConfigException e) {
      return failed(ExitCodes.BAD_CONFIGURATION, TraceResult.failed(config.correlationId(), "configuration error: "
          + e.getMessage()), config.json(), config.terminationLog(), out, err);
    } catch (RuntimeException e) {
      e.printStackTrace(err);
      return failed(ExitCodes.FAILURE, TraceResult.failed(config.correlationId(), "failed: "
          + KafkaFailures.rootMessage(e)), config.json(), config.terminationLog(), out, err);
    }
    if (config.json()) {
      out.println(result.toJson());
      out.flush();
    } else {
      TimelineText.print(result, out);
    }
    TerminationMessage.writeQuietly(config.terminationLog(), result.terminationJson(), err);
    return result.found() ? ExitCodes.OK : ExitCodes.NOT_FOUND;
  }

  private static int failed(int code, TraceResult result, boolean json, Path terminationLog, PrintStream out,
      PrintStream err) {
    err.println("trace: " + result.message());
    if (json) {
      out.println(result.toJson());
      out.flush();
    }
    TerminationMessage.writeQuietly(terminationLog, result.terminationJson(), err);
    err.flush();
    return code;
  }
}
