package io.reducer.controller.reset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.reset.CompletedReset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The completed resets a Projection (or a ReducerPipeline, for its reducers) remembers in its status, so that a reset
 * deleted by the history limit and created again by a GitOps tool that still has its file is refused rather than run
 * a second time. A reset is known by its name and a digest of its spec; its uid tells the original from a copy.
 */
public final class CompletedResets {

  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private CompletedResets() {
  }

  /** SHA-256 (hex) of the spec's JSON with sorted keys: equal specs, however written, have equal digests. */
  public static String digest(WatermarkResetSpec spec) {
    try {
      JsonNode tree = CANONICAL.valueToTree(spec);
      byte[] json = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(tree, Object.class));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The remembered completion this reset is a copy of: same name and spec, another uid; null if there is none.
   * spec.runAgain is part of the spec, so a copy that sets it (and the original did not) runs once more. A dry run
   * changes nothing, so it is never a copy: planning again is harmless.
   */
  public static CompletedReset copyOf(List<CompletedReset> remembered, WatermarkReset reset) {
    if (remembered == null || reset.getSpec().isDryRun()) {
      return null;
    }
    String digest = digest(reset.getSpec());
    for (int i = remembered.size() - 1; i >= 0; i--) {
      CompletedReset done = remembered.get(i);
      if (reset.getMetadata().getName().equals(done.getName()) && digest.equals(done.getSpecDigest())
          && !Objects.equals(reset.getMetadata().getUid(), done.getUid())) {
        return done;
      }
    }
    return null;
  }

  /** The list with this reset (unless a dry run) added as completed {@code now} (once), keeping the newest {@value CompletedReset#MAX_REMEMBERED}. */
  public static List<CompletedReset> remember(List<CompletedReset> remembered, WatermarkReset reset, Instant now) {
    List<CompletedReset> list = remembered == null ? new ArrayList<>() : new ArrayList<>(remembered);
    String uid = reset.getMetadata().getUid();
    if (reset.getSpec().isDryRun() || list.stream().anyMatch(r -> Objects.equals(uid, r.getUid()))) {
      return list;
    }
    list.add(new CompletedReset(reset.getMetadata().getName(), uid, digest(reset.getSpec()),
        now.truncatedTo(ChronoUnit.SECONDS).toString()));
    while (list.size() > CompletedReset.MAX_REMEMBERED) {
      list.remove(0);
    }
    return list;
  }
}
