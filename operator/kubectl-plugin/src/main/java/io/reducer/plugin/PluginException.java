package io.reducer.plugin;

/** A failure a person can act on: its message is printed as is, and the plugin exits with its code. */
public class PluginException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public PluginException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  public static PluginException usage(String message) {
    return new PluginException(ExitCode.USAGE, message);
  }
}
