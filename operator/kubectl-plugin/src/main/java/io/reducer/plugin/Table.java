package io.reducer.plugin;

import io.reducer.controller.status.StatusText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Columns aligned as kubectl aligns them, indented under a section title; the last column is cut to what is left of
 * {@link #WIDTH} so that a screen of 100 columns shows every row on one line.
 */
final class Table {

  static final int WIDTH = 100;
  private static final String INDENT = "  ";
  private static final String CONTINUATION = "      ";
  /** The least width the last column is given beside the others before it moves below them. */
  private static final int MIN_ROOM = 30;
  /** Long texts are cut after this many lines. */
  private static final int MAX_LINES = 4;

  private final List<String[]> rows = new ArrayList<>();
  private final java.util.Map<Integer, String> notes = new java.util.HashMap<>();

  Table(String... headers) {
    rows.add(headers);
  }

  Table row(Object... cells) {
    rows.add(Arrays.stream(cells).map(c -> c == null ? Status.UNKNOWN : String.valueOf(c)).toArray(String[]::new));
    return this;
  }

  /** A line of text under the last row, indented, e.g. "held by reset X". */
  Table note(String text) {
    notes.put(rows.size() - 1, text);
    return this;
  }

  boolean isEmpty() {
    return rows.size() == 1;
  }

  /** The text in lines of at most {@code width}, broken at spaces where it can be; at most {@link #MAX_LINES}. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    String rest = text;
    while (rest.length() > width && lines.size() < MAX_LINES - 1) {
      int cut = rest.lastIndexOf(' ', width);
      if (cut <= 0) {
        cut = width;
      }
      lines.add(rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut).stripLeading();
    }
    lines.add(StatusText.capped(rest, width));
    return lines;
  }

  String render() {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int index = 0; index < rows.size(); index++) {
      String[] row = rows.get(index);
      StringBuilder line = new StringBuilder(INDENT);
      for (int i = 0; i < columns - 1; i++) {
        line.append(String.format("%-" + widths[i] + "s  ", row[i]));
      }
      String last = row[columns - 1].replace('\n', ' ').strip();
      int room = WIDTH - line.length();
      if (row == rows.get(0) && last.length() > room) {
        // The header of a column whose texts go below the rows: they need no title.
        text.append(line.toString().stripTrailing()).append('\n');
      } else if (room >= MIN_ROOM || last.length() <= room) {
        List<String> parts = wrap(last, Math.max(room, MIN_ROOM));
        text.append((line + parts.get(0)).stripTrailing()).append('\n');
        String pad = " ".repeat(line.length());
        parts.stream().skip(1).forEach(part -> text.append(pad).append(part).append('\n'));
      } else {
        // Too little room beside the other columns: the text goes on the lines below, indented.
        text.append(line.toString().stripTrailing()).append('\n');
        wrap(last, WIDTH - CONTINUATION.length()).forEach(part -> text.append(CONTINUATION).append(part)
            .append('\n'));
      }
      String note = notes.get(index);
      if (note != null) {
        wrap(note, WIDTH - CONTINUATION.length()).forEach(part -> text.append(CONTINUATION).append(part)
            .append('\n'));
      }
    }
    return text.toString();
  }
}
