package io.reducer.plugin;

import java.util.List;

/** One subcommand of kubectl reducer: its name, its help texts, its options, and what it does. */
abstract class Command {

  private final String name;
  private final String summary;
  private final String usage;
  private final String details;

  /**
   * @param summary one line for the command list
   * @param usage the usage line, e.g. "kubectl reducer status [PIPELINE] [-o json]"
   * @param details what the command does and its exit codes, after the options in --help
   */
  Command(String name, String summary, String usage, String details) {
    this.name = name;
    this.summary = summary;
    this.usage = usage;
    this.details = details;
  }

  final String name() {
    return name;
  }

  final String summary() {
    return summary;
  }

  final String usage() {
    return usage;
  }

  final String details() {
    return details;
  }

  /** The command's own options; the global ones (-n, --context, --kubeconfig, --help) are added. */
  abstract List<Options.Option> options();

  abstract int run(Invocation invocation) throws PluginException;
}
