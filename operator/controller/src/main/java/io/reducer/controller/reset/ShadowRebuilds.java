package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.api.v1alpha1.reset.ResetTargetType;
import io.reducer.api.v1alpha1.reset.ShadowProgress;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.workload.WorkloadJob;
import io.reducer.workloads.materializer.ShadowNames;
import io.reducer.workloads.materializer.Watermark;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names and progress of a Shadow rebuild (spec.rebuildStrategy Shadow). Every name derives from the reset's uid
 * and the projection, so a restarted operator finds the same table, identity, group, Deployment and Jobs.
 */
public final class ShadowRebuilds {

  /** Label naming the reset whose shadow materializer a pod is. */
  public static final String RESET_LABEL = "reducer.io/shadow-of-reset";
  /** Total records the shadow may be behind the live projection for the cutover to start. */
  static final long CLOSE_LAG = 200;

  private ShadowRebuilds() {
  }

  public static boolean applies(WatermarkResetSpec spec) {
    return spec != null && spec.isRebuild() && spec.getRebuildStrategy() == RebuildStrategy.Shadow;
  }

  public static boolean applies(WatermarkReset reset) {
    return applies(reset.getSpec());
  }

  /**
   * Whether a Shadow rebuild can honour the spec's target: the shadow materializers start at the log start, so only
   * earliest. The CRD refuses the others at admission; the decider refuses one that got past it.
   */
  public static boolean supportsTarget(WatermarkResetSpec spec) {
    return spec.getTarget() != null && spec.getTarget().getType() == ResetTargetType.EARLIEST;
  }

  /** The target type as written in the spec (e.g. latest), for messages. */
  static String targetType(WatermarkResetSpec spec) {
    if (spec.getTarget() == null || spec.getTarget().getType() == null) {
      return "(none)";
    }
    return ResetPlans.targetType(spec.getTarget().getType()).specName();
  }

  /**
   * Whether the projection's materializers must be held at zero for this reset now: never for a repair from the
   * canonical store ({@link CanonicalRepairs}), for a Shadow rebuild only from its cutover on (the live projection
   * serves and materializes while the shadow fills), always for other resets.
   */
  public static boolean quiesces(WatermarkReset reset) {
    if (CanonicalRepairs.applies(reset)) {
      return false;
    }
    if (reset == null || !applies(reset)) {
      return true;
    }
    WatermarkResetPhase phase = reset.getStatus() == null ? null : reset.getStatus().getPhase();
    return phase == WatermarkResetPhase.CuttingOver || phase == WatermarkResetPhase.Resuming;
  }

  public static boolean cutoverApproved(WatermarkReset reset) {
    Map<String, String> annotations = reset.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(RebuildStrategy.CUTOVER_ANNOTATION));
  }

  /**
   * The rebuild id: 8 hex characters of a SHA-256 of the reset's uid ([a-z0-9]{1,12}, see ShadowNames). Hashed rather
   * than cut, so uids that share a prefix still get their own shadow.
   */
  public static String rebuildId(WatermarkReset reset) {
    String uid = reset.getMetadata().getUid();
    if (uid == null || uid.isEmpty()) {
      throw new IllegalStateException("WatermarkReset " + reset.getMetadata().getName() + " has no uid");
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(uid.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String deploymentName(WatermarkReset reset) {
    return WorkloadJob.name(reset, "shadow");
  }

  public static String jobName(WatermarkReset reset, String action) {
    return WorkloadJob.name(reset, "shadow-" + action);
  }

  /** The shadow materializers' pod labels; they never carry the live projection's labels. */
  public static Map<String, String> selector(WatermarkReset reset) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "reducer-shadow-materializer");
    labels.put("app.kubernetes.io/instance", reset.getMetadata().getName());
    labels.put(RESET_LABEL, reset.getMetadata().getName());
    return labels;
  }

  /** The shadow's names, for status.shadow. */
  public static ShadowProgress names(WatermarkReset reset, String table) {
    String id = rebuildId(reset);
    String projection = reset.getSpec().getProjectionRef().getName();
    ShadowProgress shadow = new ShadowProgress();
    shadow.setTable(ShadowNames.shadowTable(table, id));
    shadow.setProjection(ShadowNames.shadowProjection(projection, id));
    shadow.setConsumerGroup(ShadowNames.shadowGroup(projection, id));
    shadow.setDeployment(deploymentName(reset));
    return shadow;
  }

  /**
   * The plan with the epochs of a cutover: {@code kubectl get wmr} shows status.plan.newEpoch as EPOCH, and a Shadow
   * rebuild plans no positions (its shadow starts at the log start), so without this its column stays empty. The
   * cutover sets the live epoch + 1, so the epoch before it is one less. Null when the cutover reported no epoch (a
   * projection without watermark rows).
   */
  static ResetPlan withCutoverEpoch(ResetPlan plan, Long newEpoch) {
    if (newEpoch == null) {
      return plan;
    }
    ResetPlan epochs = plan == null ? new ResetPlan() : plan;
    epochs.setCurrentEpoch(newEpoch - 1);
    epochs.setNewEpoch(newEpoch);
    return epochs;
  }

  /**
   * The live projection's epoch from its watermark rows, read after a cutover whose Job did not report it: the swap
   * gives every live row the new epoch. Null when there are no rows.
   */
  static Long epochInForce(Map<Integer, Watermark> live) {
    return live.values().stream().map(Watermark::epoch).max(Long::compare).orElse(null);
  }

  /** "epoch 4 in force", or why there is none. */
  static String epochText(Long epoch) {
    return epoch == null ? "no epoch in force (the projection has no watermark rows)" : "epoch " + epoch + " in force";
  }

  /** How far the shadow is behind the live projection, per partition total. */
  public record Lag(long liveOffsets, long shadowOffsets, long lag, int partitionsBehind) {

    /** The shadow is at or past the live position on every partition the live projection has. */
    public boolean caughtUp() {
      return partitionsBehind == 0;
    }
  }

  public static Lag lag(Map<Integer, Watermark> live, Map<Integer, Watermark> shadow) {
    long liveSum = 0;
    long shadowSum = 0;
    long lag = 0;
    int behind = 0;
    for (Watermark w : shadow.values()) {
      shadowSum += w.nextOffset();
    }
    for (Watermark w : live.values()) {
      liveSum += w.nextOffset();
      Watermark s = shadow.get(w.partition());
      long at = s == null ? 0 : s.nextOffset();
      if (s == null || at < w.nextOffset()) {
        behind++;
        lag += Math.max(0, w.nextOffset() - at);
      }
    }
    return new Lag(liveSum, shadowSum, lag, behind);
  }

  /**
   * The shadow's average speed since it started filling, applied to what is left; null when it cannot be told (no
   * progress yet).
   */
  static Long secondsToCatchUp(Lag lag, long secondsFilling) {
    if (lag.caughtUp()) {
      return 0L;
    }
    if (lag.shadowOffsets() <= 0 || secondsFilling <= 0) {
      return null;
    }
    return (long) Math.ceil((double) lag.lag() * secondsFilling / lag.shadowOffsets());
  }
}
