package io.reducer.workloads.cli;

/**
 * Credentials as they arrive from a Kubernetes Secret. A value made with {@code echo "pw" | base64} or
 * {@code kubectl create secret --from-file} ends with a newline that nobody meant as part of the password, and
 * a login with it fails with nothing in the error to say why. One trailing line break is dropped; every other
 * character, spaces included, is kept.
 */
public final class SecretText {

  private SecretText() {
  }

  /** {@code value} without one trailing {@code \n} or {@code \r\n}; null stays null. */
  public static String withoutTrailingNewline(String value) {
    if (value == null) {
      return null;
    }
    if (value.endsWith("\r\n")) {
      return value.substring(0, value.length() - 2);
    }
    return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
  }
}
