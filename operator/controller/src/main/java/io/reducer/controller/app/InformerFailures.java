package io.reducer.controller.app;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the first failure the operator cannot recover from: an informer that stopped on an error after it had
 * synced (from then on the operator no longer sees changes of that kind), or the leader-election Lease lost while
 * running (another replica may be reconciling already). The operator is then not live ({@code /healthz} answers 503)
 * and its main exits for a restart.
 *
 * <p>Replaces the framework's defaults, which call {@code System.exit} from the informer's thread, and from the thread
 * that stops the operator when it gives up the Lease: that would also end any process embedding the operator (the
 * local cluster, tests) without a word to its owner, and blocks for good inside the JVM's shutdown hook.
 */
final class InformerFailures implements InformerStoppedHandler {

  private static final Logger LOG = LoggerFactory.getLogger(InformerFailures.class);

  private final AtomicReference<String> first = new AtomicReference<>();
  private volatile boolean stopping;
  private Consumer<String> listener = failure -> { };

  @Override
  @SuppressWarnings("rawtypes")
  public void onStop(SharedIndexInformer informer, Throwable error) {
    // Before the first sync, the framework's start-up fails on its own; a stop without an error is a shutdown, and
    // so is one with an error while the operator stops (a list or watch cut short).
    if (error == null || !informer.hasSynced() || stopping) {
      LOG.debug("informer {} stopped (synced: {})", informer, informer.hasSynced(), error);
      return;
    }
    String failure = "the informer for " + informer.getApiTypeClass().getSimpleName() + " stopped: " + error;
    LOG.error("{}; the operator no longer sees those changes and must be restarted", failure, error);
    fail(failure);
  }

  /** Leadership ended: a failure unless the operator is stopping (it then gives up the Lease on purpose). */
  void leaseLost(String lease) {
    if (stopping) {
      LOG.debug("gave up the Lease {} while stopping", lease);
      return;
    }
    String failure = "the leader-election Lease " + lease + " was lost";
    LOG.error("{}; another replica may be reconciling now, so this one must be restarted", failure);
    fail(failure);
  }

  private void fail(String failure) {
    if (first.compareAndSet(null, failure)) {
      notifyListener(failure);
    }
  }

  /** The operator is stopping: informers that stop from now on, with or without an error, are not failures. */
  void stopping() {
    stopping = true;
  }

  /** The first fatal informer failure, if one happened. */
  Optional<String> failure() {
    return Optional.ofNullable(first.get());
  }

  /** Called once, with the first fatal failure (at once if it already happened). */
  synchronized void onFailure(Consumer<String> action) {
    listener = action;
    failure().ifPresent(action);
  }

  private synchronized void notifyListener(String failure) {
    listener.accept(failure);
  }
}
