package io.reducer.plugin;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reducer.plugin.Options.Option;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kubectl reducer: the entry point. {@link #run} does everything and returns the exit code. */
public final class Main {

  static final String NAMESPACE = "--namespace";
  static final String CONTEXT = "--context";
  static final String KUBECONFIG = "--kubeconfig";
  static final String HELP = "--help";

  static final List<Option> GLOBAL = List.of(
      Option.value(NAMESPACE, "NAMESPACE", "the namespace (default: the kubeconfig context's)").withAlias("-n"),
      Option.value(CONTEXT, "CONTEXT", "the kubeconfig context (default: the current one)"),
      Option.value(KUBECONFIG, "FILE", "the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)"),
      Option.flag(HELP, "show this help").withAlias("-h"));

  private final Kube.Connector connector;
  private final Clock clock;
  private final Interrupts interrupts;
  private final Map<String, Command> commands = new LinkedHashMap<>();

  public Main() {
    this(Kube::connect, Clock.systemUTC(), new Interrupts());
  }

  Main(Kube.Connector connector, Clock clock, Interrupts interrupts) {
    this.connector = connector;
    this.clock = clock;
    this.interrupts = interrupts;
    for (Command command : List.of(new StatusCommand(), new ApproveCommand(), new ReplayCommand(), new ResetCommand(),
        new TraceCommand(), new RepairCommand())) {
      commands.put(command.name(), command);
    }
  }

  public static void main(String[] args) {
    quietLogging();
    Main main = new Main();
    Thread hook = new Thread(main.interrupts::runAll, "kubectl-reducer-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = main.run(args, System.in, System.out, System.err);
    System.exit(code);
  }

  /** Libraries log warnings only, to stderr; kubectl plugins print nothing else there. */
  private static void quietLogging() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    // fabric8 warns on every use of a v1alpha1 kind; the API's version is no news to the user.
    System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils",
        "error");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
  }

  /** Runs kubectl reducer with {@code args}; returns the exit code ({@link ExitCode}). Never throws. */
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    List<String> all = Arrays.asList(args);
    int index = Options.commandIndex(GLOBAL, all);
    if (index < 0) {
      boolean help = all.contains(HELP) || all.contains("-h");
      (help ? out : err).print(usage());
      return help ? ExitCode.OK : ExitCode.USAGE;
    }
    String name = all.get(index);
    List<String> rest = new ArrayList<>(all.subList(0, index));
    rest.addAll(all.subList(index + 1, all.size()));
    if (name.equals("help")) {
      Command command = rest.isEmpty() ? null : commands.get(rest.get(0));
      out.print(command == null ? usage() : help(command));
      return ExitCode.OK;
    }
    Command command = commands.get(name);
    if (command == null) {
      err.print("error: unknown command " + name + "\n\n" + usage());
      return ExitCode.USAGE;
    }
    Invocation invocation = null;
    try {
      List<Option> known = new ArrayList<>(GLOBAL);
      known.addAll(command.options());
      Options options = Options.parse(known, rest);
      if (options.has(HELP)) {
        out.print(help(command));
        return ExitCode.OK;
      }
      invocation = new Invocation(options, in, out, err,
          () -> connector.connect(options.value(KUBECONFIG), options.value(CONTEXT)), clock, interrupts);
      return command.run(invocation);
    } catch (PluginException e) {
      err.println("error: " + e.getMessage());
      if (e.exitCode() == ExitCode.USAGE) {
        err.println("see: kubectl reducer " + name + " --help");
      }
      return e.exitCode();
    } catch (KubernetesClientException e) {
      err.println("error: " + Kube.translate(e, "call", "the API", null).getMessage());
      return ExitCode.FAILED;
    } catch (RuntimeException e) {
      err.println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return ExitCode.FAILED;
    } finally {
      interrupts.runAll();
      if (invocation != null) {
        invocation.close();
      }
    }
  }

  String usage() {
    StringBuilder text = new StringBuilder("kubectl reducer: pipelines, projections, replays and resets of "
        + "reducer-operator\n\nusage: kubectl reducer COMMAND [options]\n\ncommands:\n");
    for (Command command : commands.values()) {
      text.append(String.format("  %-8s %s%n", command.name(), command.summary()));
    }
    text.append("\nglobal options:\n").append(Options.describe(GLOBAL))
        .append("\nkubectl reducer COMMAND --help shows a command's options and exit codes.\n")
        .append(EXIT_CODES);
    return text.toString();
  }

  static final String EXIT_CODES = """

      exit codes:
        0  done
        1  failed (the message says why: API unreachable, a Job failed, a timeout)
        2  wrong flags or arguments
        3  not found (the pipeline, projection, replay or reset; or the CRDs)
        4  forbidden by RBAC (the message names the verb and resource)
        6  nothing to approve (approve)
        7  the operator is not running (status, approve: its Lease is stale or absent)
        8  not approved: the question was not answered yes (approve)
      """;

  private String help(Command command) {
    return "usage: " + command.usage() + "\n\n" + command.summary() + "\n\noptions:\n"
        + Options.describe(command.options()) + "\nglobal options:\n" + Options.describe(GLOBAL) + "\n"
        + command.details();
  }
}
