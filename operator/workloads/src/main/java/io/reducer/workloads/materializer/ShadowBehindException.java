package io.reducer.workloads.materializer;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cutover found a shadow watermark behind the live one (or missing): readers would see rows go back to older
 * versions, so nothing was swapped. Retryable: the shadow materializers are still catching up.
 *
 * @see #behind() partition to {@code [shadow next offset (-1 when missing), live next offset]}
 */
public final class ShadowBehindException extends ShadowRefusedException {

  private final SortedMap<Integer, long[]> behind;

  public ShadowBehindException(Map<Integer, long[]> behind) {
    super(describe(behind), true);
    this.behind = new TreeMap<>(behind);
  }

  public SortedMap<Integer, long[]> behind() {
    return behind;
  }

  private static String describe(Map<Integer, long[]> behind) {
    StringBuilder text = new StringBuilder("the shadow is behind the live projection on ")
        .append(behind.size()).append(" partition(s), so nothing was swapped (readers would see versions go back):");
    new TreeMap<>(behind).forEach((partition, offsets) -> text.append(" ").append(partition).append(": shadow ")
        .append(offsets[0] < 0 ? "has no watermark" : "at " + offsets[0]).append(", live at ").append(offsets[1])
        .append(";"));
    return text.append(" let the shadow materializers catch up and run the cutover again").toString();
  }
}
