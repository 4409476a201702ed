package io.reducer.workloads.trace;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The readable form of a {@link TraceResult}: what was searched, the timeline as a table, then the verdict stage by
 * stage in the order of the system.
 */
final class TimelineText {

  private static final String[] HEADER = {"TIME", "SOURCE", "P", "OFFSET", "TYPE", "KEY", "VER", "TRIGGER", "STATE",
      "ERROR", "DETAIL"};
  private static final Map<Verdict.Status, String> MARKS = Map.of(Verdict.Status.REACHED, "yes",
      Verdict.Status.NOT_REACHED, "no", Verdict.Status.NOT_CHECKED, "?");

  private TimelineText() {
  }

  static void print(TraceResult result, PrintStream out) {
    out.println("trace " + result.correlationId() + ": " + result.window().since() + " .. "
        + (result.window().until() == null ? "now" : result.window().until()));
    List<String> read = new ArrayList<>();
    result.counts().topics().forEach((topic, count) -> read.add(topic + " " + count.recordsRead()
        + (count.recordsRead() == 1 ? " record (" : " records (")
        + count.partitions() + (count.partitions() == 1 ? " partition" : " partitions") + "), " + count.matched()
        + " matching"));
    out.println("read: " + String.join("; ", read));
    if (result.counts().tables() != null && !result.counts().tables().isEmpty()) {
      List<String> tables = new ArrayList<>();
      result.counts().tables().forEach((table, rows) -> tables.add(table + " " + rows));
      out.println("rows: " + String.join("; ", tables));
    }
    if (result.notes() != null) {
      result.notes().forEach(note -> out.println("note: " + note));
    }
    out.println();
    if (!result.timeline().isEmpty()) {
      printTable(result.timeline(), out);
      out.println();
    }
    out.println("verdict:");
    for (Verdict.Stage stage : result.verdict().stages()) {
      out.printf("  %-13s %-4s %s%n", stage.name(), MARKS.get(stage.status()), stage.evidence());
    }
    out.println(result.message());
    out.println("=> " + result.verdict().summary());
    out.flush();
  }

  private static void printTable(List<TimelineEntry> timeline, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (TimelineEntry e : timeline) {
      rows.add(new String[] {e.time(), e.source(), text(e.partition()), text(e.offset()), e.type(),
          text(e.workflowKey()), text(e.version()), text(e.trigger()), text(e.state()), text(e.errorType()),
          e.detail() == null ? "" : e.detail()});
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String text(Object value) {
    return value == null ? "-" : value.toString();
  }
}
