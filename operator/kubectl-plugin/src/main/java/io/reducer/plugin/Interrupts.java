package io.reducer.plugin;

/**
 * Clean-up that must run also when the user presses Ctrl-C: {@link Main#main} runs it from a shutdown hook, tests
 * call {@link #runAll()} themselves.
 */
final class Interrupts {

  private final java.util.List<Runnable> actions = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Registers {@code action}; returns a handle that runs it at most once. */
  Runnable register(Runnable action) {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable once = () -> {
      if (done.compareAndSet(false, true)) {
        action.run();
      }
    };
    actions.add(once);
    return once;
  }

  void runAll() {
    actions.forEach(Runnable::run);
  }
}
