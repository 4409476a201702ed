package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.reset.RebuildSource;
import io.reducer.api.v1alpha1.reset.RepairScope;

/**
 * A repair from the canonical store (spec.rebuildSource Canonical): what it repairs. It holds the projection only so
 * that one reset runs on it at a time; it never quiesces it, because it truncates nothing, moves no position and
 * writes each row under the materializers' version guard.
 */
public final class CanonicalRepairs {

  private CanonicalRepairs() {
  }

  public static boolean applies(WatermarkResetSpec spec) {
    return spec != null && spec.getRebuildSource() == RebuildSource.Canonical;
  }

  public static boolean applies(WatermarkReset reset) {
    return reset != null && applies(reset.getSpec());
  }

  public static RepairScope scope(WatermarkResetSpec spec) {
    return spec.getRepair() == null || spec.getRepair().getScope() == null ? RepairScope.Stale
        : spec.getRepair().getScope();
  }

  /** The one workflow key to repair; null for every key of the scope. */
  public static String key(WatermarkResetSpec spec) {
    return spec.getRepair() == null ? null : spec.getRepair().getWorkflowKey();
  }

  /** What is repaired, in words: e.g. "the stale rows of table orders_view". */
  public static String what(WatermarkResetSpec spec, String table) {
    String key = key(spec);
    boolean stale = scope(spec) == RepairScope.Stale;
    if (key == null) {
      return (stale ? "the stale rows" : "every canonical row") + " of table " + table;
    }
    return "the row of workflow key " + key + " in table " + table + (stale ? " if it is stale" : "");
  }
}
