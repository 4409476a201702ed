package io.reducer.controller.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the operator's Lease up when it stops, so the next replica need not wait for it to expire. The framework
 * (java-operator-sdk 5) cancels its leader elector on stop without releasing the Lease (fabric8's releaseOnCancel is
 * not exposed), so this does what fabric8's {@code LeaderElector.release()} does: when this process still holds the
 * Lease, it empties the holder and shortens the duration to 1 s, with the Lease's resourceVersion as a precondition.
 * A candidate takes an empty Lease at its next attempt. Called only after every reconciliation has ended.
 */
final class LeaseRelease {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {
  }

  /** @return true when the Lease was held by {@code identity} and is now free */
  static boolean release(KubernetesClient client, String namespace, String name, String identity) {
    LeaseLock lock = new LeaseLock(namespace, name, identity);
    try {
      LeaderElectionRecord current = lock.get(client);
      if (current == null || !identity.equals(current.getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lock.update(client, new LeaderElectionRecord(null, Duration.ofSeconds(1), now, now,
          current.getLeaderTransitions()));
      LOG.info("released the Lease {}/{}", namespace, name);
      return true;
    } catch (KubernetesClientException e) {
      // Changed meanwhile (then it is no longer ours) or the API is unreachable: the Lease expires on its own.
      LOG.warn("could not release the Lease {}/{}; the next leader takes it when it expires: {}", namespace, name,
          e.getMessage());
      return false;
    }
  }
}
