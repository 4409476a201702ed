package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.workloads.dlq.ReplayNames;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * How a DlqReplay is known to Kafka. The replay name is {@code <namespace>.<name>}: it is the replay's
 * transactional.id ({@code reducer-dlq-replay.<replay name>}), its consumer group and its x-replay-name header.
 *
 * <p>The name, not the uid, on purpose: a DlqReplay deleted and created again under the same name (by hand or by a
 * GitOps tool after the history limit pruned it) finds the position its predecessor committed. Over the same
 * snapshot and filters it resumes, so nothing is replayed twice; over a different one the replay Job refuses to
 * start. Kafka forgets the position once the group has been empty for offsets.retention.minutes (7 days by
 * default).
 */
public final class ReplayIdentity {

  private static final String INSPECT_GROUP_PREFIX = "reducer-dlq-inspect.";

  private ReplayIdentity() {
  }

  /** {@code <namespace>.<name>}, shortened with a hash of the whole when longer than the replay command allows. */
  public static String replayName(DlqReplay replay) {
    String name = replay.getMetadata().getNamespace() + "." + replay.getMetadata().getName();
    if (name.length() <= ReplayNames.MAX_NAME_LENGTH) {
      return name;
    }
    String hash = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
    return name.substring(0, ReplayNames.MAX_NAME_LENGTH - hash.length() - 1) + "-" + hash;
  }

  /** The group in which the replay Job commits its DLQ position (the replay command's default). */
  public static String consumerGroup(DlqReplay replay) {
    return ReplayNames.prefixed(replayName(replay));
  }

  /**
   * The group for which the inspect Job commits the snapshot and per-partition counts ({@code --result-group}):
   * {@code reducer-dlq-inspect.<replay name>.<uid>}. The uid, unlike the replay's own group: a DlqReplay created again
   * under the same name must never read its predecessor's preview.
   */
  public static String inspectGroup(DlqReplay replay) {
    return INSPECT_GROUP_PREFIX + replayName(replay) + "." + replay.getMetadata().getUid();
  }
}
