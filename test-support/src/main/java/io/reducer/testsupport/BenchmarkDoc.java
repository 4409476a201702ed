package io.reducer.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Writes a benchmark's last results into docs/benchmarks.md, between markers that name the benchmark, so each
 * run replaces its own block and leaves the prose around it alone.
 */
public final class BenchmarkDoc {

  private BenchmarkDoc() {
  }

  /**
   * @param benchmark the marker name, e.g. dlq-replay-benchmark
   * @param command how the figures were produced, e.g. scripts/benchmark-dlq-replay.sh
   * @param section heading of the section to append when the markers are not there yet
   */
  public static void writeResults(Path doc, String benchmark, String command, String section, String report)
      throws IOException {
    String begin = "<!-- " + benchmark + " results: start -->";
    String end = "<!-- " + benchmark + " results: end -->";
    String text = Files.readString(doc);
    String block = begin + "\nLast run of `" + command + "` (" + LocalDate.now() + "):\n\n```text\n"
        + report.strip() + "\n```\n" + end;
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from >= 0 && to > from) {
      text = text.substring(0, from) + block + text.substring(to + end.length());
    } else {
      text = text.stripTrailing() + "\n\n## " + section + "\n\n" + block + "\n";
    }
    Files.writeString(doc, text);
  }
}
