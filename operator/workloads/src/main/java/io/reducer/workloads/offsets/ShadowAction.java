package io.reducer.workloads.offsets;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.reducer.workloads.cli.ConfigException;

/** The steps of {@code offsets shadow}. */
public enum ShadowAction {
  CREATE("create"),
  CUTOVER("cutover"),
  DISCARD("discard"),
  DROP_PREVIOUS("drop-previous");

  private final String word;

  ShadowAction(String word) {
    this.word = word;
  }

  /** The word on the command line and in the result. */
  public String word() {
    return word;
  }

  static String names() {
    return Arrays.stream(values()).map(ShadowAction::word).collect(Collectors.joining("|"));
  }

  static ShadowAction parse(String word) throws ConfigException {
    for (ShadowAction action : values()) {
      if (action.word.equals(word)) {
        return action;
      }
    }
    throw new ConfigException("unknown action: offsets shadow " + word + " (use " + names() + ")");
  }
}
