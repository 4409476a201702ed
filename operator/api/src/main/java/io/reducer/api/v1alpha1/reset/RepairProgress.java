package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;

/** A repair from the canonical store: what it was to repair and, once its Job ended, what it did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepairProgress {

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("The projection table repaired, as schema.table.")
  private String table;

  @JsonPropertyDescription("The projection's status.staleRows when the repair was accepted: rows behind "
      + "workflow_state or missing, as last measured by the operator; absent when not measured yet.")
  private Long staleRowsBefore;

  @JsonPropertyDescription("Canonical rows the scope selected (with dryRun: the rows that would be examined).")
  private Long rowsExamined;

  @JsonPropertyDescription("Projection rows inserted or updated (with dryRun: 0). The others examined were already "
      + "as new, or newer: a materializer wrote them meanwhile.")
  private Long rowsRepaired;

  @JsonPropertyDescription("With dryRun: projection rows the repair would insert or update.")
  private Long rowsToRepair;

  @JsonPropertyDescription("Pages read and written, each one short transaction.")
  private Long pages;

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public Long getStaleRowsBefore() {
    return staleRowsBefore;
  }

  public void setStaleRowsBefore(Long staleRowsBefore) {
    this.staleRowsBefore = staleRowsBefore;
  }

  public Long getRowsExamined() {
    return rowsExamined;
  }

  public void setRowsExamined(Long rowsExamined) {
    this.rowsExamined = rowsExamined;
  }

  public Long getRowsRepaired() {
    return rowsRepaired;
  }

  public void setRowsRepaired(Long rowsRepaired) {
    this.rowsRepaired = rowsRepaired;
  }

  public Long getRowsToRepair() {
    return rowsToRepair;
  }

  public void setRowsToRepair(Long rowsToRepair) {
    this.rowsToRepair = rowsToRepair;
  }

  public Long getPages() {
    return pages;
  }

  public void setPages(Long pages) {
    this.pages = pages;
  }
}
