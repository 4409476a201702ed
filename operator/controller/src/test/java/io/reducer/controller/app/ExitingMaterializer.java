package io.reducer.controller.app;

/**
 * A materializer image for the local cluster that refuses its configuration as {@code workloads materialize} does:
 * one line on stderr and exit code 2, on every start, so its pods crash-loop.
 */
public final class ExitingMaterializer {

  static final String MESSAGE = "materialize: configuration error: schema 'missing' does not exist: create it "
      + "(CREATE SCHEMA missing) or fix --schema (MATERIALIZER_SCHEMA)";

  private ExitingMaterializer() {
  }

  public static void main(String[] args) {
    System.out.println("starting materializer " + String.join(" ", args));
    System.err.println(MESSAGE);
    System.exit(2);
  }
}
