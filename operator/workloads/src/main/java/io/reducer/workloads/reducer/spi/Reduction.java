package io.reducer.workloads.reducer.spi;

/** What a {@link Reducer} decided for one action. */
public sealed interface Reduction {

  /**
   * The action is applied: the workflow moves to these values, with the next version.
   *
   * @param state the new state name, not null
   * @param namespace the new namespace, may be null
   * @param tag the new tag, may be null
   */
  record Applied(String state, String namespace, String tag) implements Reduction {
    public Applied {
      if (state == null || state.isBlank()) {
        throw new IllegalArgumentException("a reducer must return a state name");
      }
    }
  }

  /**
   * The action is refused; it goes to the DLQ and the workflow keeps its state.
   *
   * @param errorType upper-case error type for {@code x-error-type}, e.g. {@code INVALID_TRANSITION}
   * @param message what was wrong, for a person reading the DLQ
   */
  record Rejected(String errorType, String message) implements Reduction {
    public Rejected {
      if (errorType == null || errorType.isBlank()) {
        throw new IllegalArgumentException("a rejection needs an error type");
      }
    }
  }
}
