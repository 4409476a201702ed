package io.reducer.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;

/** One run of a subcommand: its parsed options, the terminal, and a client connected on first use. */
final class Invocation {

  private final Options options;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<KubernetesClient> connect;
  private final Clock clock;
  private final Interrupts interrupts;
  private KubernetesClient client;
  private BufferedReader lines;

  Invocation(Options options, InputStream in, PrintStream out, PrintStream err, Supplier<KubernetesClient> connect,
      Clock clock, Interrupts interrupts) {
    this.options = options;
    this.in = in;
    this.out = out;
    this.err = err;
    this.connect = connect;
    this.clock = clock;
    this.interrupts = interrupts;
  }

  Options options() {
    return options;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  Clock clock() {
    return clock;
  }

  /** Where a command registers what must happen also on Ctrl-C (deleting a Job it created). */
  Interrupts interrupts() {
    return interrupts;
  }

  KubernetesClient client() {
    if (client == null) {
      client = connect.get();
    }
    return client;
  }

  /** -n, else the namespace of the kubeconfig context, else default: kubectl's rule. */
  String namespace() {
    String namespace = options.value(Main.NAMESPACE);
    if (namespace != null) {
      return namespace;
    }
    String fromContext = client().getNamespace();
    return fromContext == null || fromContext.isBlank() ? "default" : fromContext;
  }

  /** One line typed on the terminal, or null at the end of input. */
  String readLine() throws PluginException {
    try {
      if (lines == null) {
        lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      }
      return lines.readLine();
    } catch (IOException e) {
      throw new PluginException(ExitCode.FAILED, "cannot read the answer: " + e.getMessage());
    }
  }

  void close() {
    if (client != null) {
      client.close();
    }
  }
}
