package io.reducer.testsupport.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders resources the way {@code kubectl get} does from a CRD's additionalPrinterColumns: NAME first, then
 * the columns in CRD order; a missing value prints as {@code <none>} and date columns as an age. Only the
 * simple JSON paths used by printer columns ({@code .a.b.c}) are supported.
 */
public final class PrinterTable {

  private final List<CustomResourceColumnDefinition> columns;

  public PrinterTable(CustomResourceDefinition crd) {
    this.columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns() == null ? List.of()
        : crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
  }

  /** The table for the given resources (as JSON), with a header row, columns padded to their widest cell. */
  public String render(List<JsonNode> resources, Instant now) {
    return render(resources, now, false);
  }

  /** As {@link #render(List, Instant)}; with a NAMESPACE column first when listing all namespaces (-A). */
  public String render(List<JsonNode> resources, Instant now, boolean allNamespaces) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    if (allNamespaces) {
      header.add("NAMESPACE");
    }
    header.add("NAME");
    columns.forEach(c -> header.add(c.getName()));
    rows.add(header);
    for (JsonNode resource : resources) {
      List<String> row = new ArrayList<>();
      if (allNamespaces) {
        row.add(resource.path("metadata").path("namespace").asText());
      }
      row.add(resource.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition column : columns) {
        row.add(cell(resource, column, now));
      }
      rows.add(row);
    }
    int[] widths = new int[header.size()];
    rows.forEach(r -> {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    });
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        String text = row.get(i);
        out.append(text);
        if (i < row.size() - 1) {
          out.append(" ".repeat(widths[i] - text.length() + 3));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String cell(JsonNode resource, CustomResourceColumnDefinition column, Instant now) {
    JsonNode value = resource;
    for (String segment : column.getJsonPath().substring(1).split("\\.")) {
      value = value.path(segment);
    }
    if (value.isMissingNode() || value.isNull()) {
      return "<none>";
    }
    if ("date".equals(column.getType())) {
      return age(value.asText(), now);
    }
    return value.asText();
  }

  /** kubectl's short age form: 45s, 12m, 3h, 2d. */
  static String age(String timestamp, Instant now) {
    try {
      Duration d = Duration.between(Instant.parse(timestamp), now);
      if (d.isNegative() || d.toSeconds() < 120) {
        return Math.max(0, d.toSeconds()) + "s";
      }
      if (d.toMinutes() < 120) {
        return d.toMinutes() + "m";
      }
      if (d.toHours() < 48) {
        return d.toHours() + "h";
      }
      return d.toDays() + "d";
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }
}
