package io.reducer.plugin;

import java.util.List;

/** One subcommand of kubectl reducer. */
interface Command {

  String name();

  /** One line for the command list. */
  String summary();

  /** The usage line(s), e.g. "kubectl reducer status [PIPELINE] [-o json]". */
  String usage();

  /** What the command does and its exit codes, after the options in --help. */
  String details();

  /** The command's own options; the global ones (-n, --context, --kubeconfig, --help) are added. */
  List<Options.Option> options();

  int run(Invocation invocation) throws PluginException;
}
