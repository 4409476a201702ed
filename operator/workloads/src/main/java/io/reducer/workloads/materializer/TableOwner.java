package io.reducer.workloads.materializer;

import java.time.Instant;

/**
 * The Projection a projection table belongs to, as recorded in {@code projection_tables}. Identity is namespace and
 * name: a Projection deleted and applied again (GitOps) keeps its table. The uid is recorded for information (which
 * incarnation claimed or last used it) and may be empty for a materializer run by hand.
 *
 * @param claimedAt when the table was first claimed; null for a claimant that has not claimed yet
 */
public record TableOwner(String namespace, String projection, String uid, Instant claimedAt) {

  public TableOwner {
    uid = uid == null ? "" : uid;
  }

  public static TableOwner of(String namespace, String projection, String uid) {
    return new TableOwner(namespace, projection, uid, null);
  }

  /** True when both name the same Projection (namespace and name; the uid does not matter). */
  public boolean sameProjection(String otherNamespace, String otherProjection) {
    return namespace.equals(otherNamespace) && projection.equals(otherProjection);
  }

  /** {@code Projection orders/workflow-projection (uid ..., claimed 2026-...)}, for messages. */
  public String describe() {
    return "Projection " + namespace + "/" + projection + (uid.isEmpty() ? "" : " (uid " + uid + ")")
        + (claimedAt == null ? "" : ", claimed " + claimedAt);
  }
}
