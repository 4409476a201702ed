package io.reducer.controller.status;

/**
 * Text the operator writes into status, cut to the schema's bound: a broker or Job message longer than the bound
 * would make the API server refuse the whole status write, and the resource would show nothing at all.
 */
public final class StatusText {

  private static final String ELLIPSIS = "...";

  private StatusText() {
  }

  /** The text itself when it fits in {@code max} characters, otherwise its head and an ellipsis. */
  public static String capped(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = max - ELLIPSIS.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }
}
