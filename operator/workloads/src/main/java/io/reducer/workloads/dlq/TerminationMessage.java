package io.reducer.workloads.dlq;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;

/**
 * Fits a result into Kubernetes' termination message, which keeps at most 4096 bytes, and writes it.
 *
 * <p>How an inspect result is cut, step by step until it fits: each histogram keeps its 20 largest entries and
 * sample texts 128 characters; then 10 entries, 64 characters; 5 entries and 3 samples; 3 entries and 1 sample,
 * 32 characters; 1 entry and no sample; no histograms. The already-replayed ranges are cut like a histogram. Histogram keys are never shortened (they are filter
 * values); dropped entries are named in the message, so sums below {@code matched} are explained. If even the
 * snapshot alone is too large (about 65 partitions and more), it is left out too and the message says to take it
 * from the printed summary. With a result group ({@code --result-group}) the snapshot and the per-partition counts
 * are not in the message at all but in that group's committed offsets ({@link InspectPartition}), so only the
 * histograms over the whole DLQ are ever cut. A replay result only ever needs its message shortened.
 *
 * <p>Public for the other commands that write a termination log ({@code workloads trace}): the file's default and
 * the writing and cutting of a message.
 */
public final class TerminationMessage {

  public static final int MAX_BYTES = 4096;
  /** Where a one-shot command writes its result JSON, the same option for each of them. */
  public static final Option LOG_OPTION = new Option("--termination-log", "TERMINATION_LOG", "",
      "file for the result JSON (default: /dev/termination-log when writable)");
  static final Path KUBERNETES_TERMINATION_LOG = Path.of("/dev/termination-log");
  private static final int[][] INSPECT_LEVELS = {
      {20, 5, 128}, {10, 5, 64}, {5, 3, 64}, {3, 1, 32}, {1, 0, 32}, {0, 0, 0}};

  private TerminationMessage() {
  }

  static String fit(DlqInspectResult result) {
    String json = result.toJson();
    if (bytes(json) <= MAX_BYTES || result.preview() == null) {
      return bytes(json) <= MAX_BYTES ? json : fitMessage(result);
    }
    for (int[] level : INSPECT_LEVELS) {
      DlqInspectResult.Preview preview = result.preview();
      List<String> cuts = new ArrayList<>();
      DlqInspectResult.Preview capped = new DlqInspectResult.Preview(preview.matched(),
          top("byErrorType", preview.byErrorType(), level[0], cuts),
          top("byOriginalTopic", preview.byOriginalTopic(), level[0], cuts),
          top("byPartition", preview.byPartition(), level[0], cuts), preview.unroutable(),
          preview.oldestRecordTime(), preview.newestRecordTime(), samples(preview.samples(), level[1], level[2], cuts),
          preview.targetNotAllowed(), preview.alreadyReplayed(),
          ranges(preview.alreadyReplayedRanges(), level[0], level[2], cuts));
      String message = cuts.isEmpty() ? result.message()
          : result.message() + " (cut to fit the termination message: " + String.join(", ", cuts) + ")";
      json = result.with(capped, message).toJson();
      if (bytes(json) <= MAX_BYTES) {
        return json;
      }
    }
    return fitMessage(result);
  }

  static String fit(DlqReplayResult result) {
    String message = result.message() == null ? "" : result.message();
    String json = result.toJson();
    while (bytes(json) > MAX_BYTES && !message.isEmpty()) {
      message = cutToBytes(message, bytes(message) - (bytes(json) - MAX_BYTES));
      json = new DlqReplayResult(result.progress(), result.result(), message).toJson();
    }
    return json;
  }

  /**
   * The termination log: the file named by a flag or variable when given, else Kubernetes' default when it exists
   * and is writable, else null (nowhere).
   */
  public static Path path(String flag) {
    if (flag != null) {
      return Path.of(flag);
    }
    // Only where Kubernetes created the file: by hand, as root, /dev is writable and must not get a new file.
    return Files.isRegularFile(KUBERNETES_TERMINATION_LOG) && Files.isWritable(KUBERNETES_TERMINATION_LOG)
        ? KUBERNETES_TERMINATION_LOG : null;
  }

  /**
   * The termination log when the options could not be parsed: whatever {@code --termination-log} or
   * {@code TERMINATION_LOG} says, else the default, so a Job that fails on its options still says why in its status.
   */
  public static Path path(List<String> args, Map<String, String> env) {
    String value = CommandOptions.rawValue(args, LOG_OPTION.flag(), env.get(LOG_OPTION.variable()));
    return path(value == null || value.isBlank() ? null : value.trim());
  }

  /**
   * How a one-shot command ends: its summary line (on {@code err} when it failed), the result JSON printed and written
   * to the termination log, both streams flushed. Returns {@code exitCode}.
   */
  public static int report(int exitCode, String summary, boolean failed, String json, Path path, PrintStream out,
      PrintStream err) {
    (failed ? err : out).println(summary);
    out.println("result: " + json);
    writeQuietly(path, json, err);
    out.flush();
    err.flush();
    return exitCode;
  }

  /** {@link #write}, with a failure reported as a warning on {@code err}: the result was printed already. */
  public static void writeQuietly(Path path, String json, PrintStream err) {
    try {
      write(path, json);
    } catch (IOException e) {
      err.println("warning: cannot write the termination log " + path + ": " + e.getMessage());
    }
  }

  /**
   * Writes the message, replacing the file's content; a no-op without a path. In place, because Kubernetes mounts
   * the termination log as a single file that cannot be renamed over.
   */
  public static void write(Path path, String json) throws IOException {
    if (path != null) {
      Files.writeString(path, json, StandardCharsets.UTF_8);
    }
  }

  /** Replaces the file by renaming a complete copy over it, so a reader never sees half a message. */
  static void replace(Path path, String json) throws IOException {
    Path partial = path.resolveSibling(path.getFileName() + ".partial");
    Files.writeString(partial, json, StandardCharsets.UTF_8);
    Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Without the preview and with a shortened message; without the snapshot too if that is still too large (a
   * summary whose per-partition figures are in a result group has none to begin with).
   */
  private static String fitMessage(DlqInspectResult result) {
    String message = result.message() == null ? "" : result.message();
    DlqInspectResult shortened = result.with(null, message);
    String json = shortened.toJson();
    if (bytes(json) > MAX_BYTES && result.snapshot() != null) {
      message = "the snapshot of " + result.snapshot().size() + " partitions does not fit in the " + MAX_BYTES
          + "-byte termination message: take it from the printed summary and pass it with --snapshot; " + message;
      shortened = new DlqInspectResult(null, null, message, result.partitions(), result.resultGroup());
      json = shortened.toJson();
    }
    while (bytes(json) > MAX_BYTES && !message.isEmpty()) {
      message = cutToBytes(message, bytes(message) - (bytes(json) - MAX_BYTES));
      json = shortened.with(null, message).toJson();
    }
    return json;
  }

  private static Map<String, Long> top(String name, Map<String, Long> counts, int keep, List<String> cuts) {
    if (counts == null || counts.size() <= keep) {
      return counts;
    }
    cuts.add(name + " shows the " + keep + " largest of " + counts.size());
    List<Map.Entry<String, Long>> largest = new ArrayList<>(counts.entrySet());
    largest.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    List<String> kept = largest.subList(0, keep).stream().map(Map.Entry::getKey).toList();
    Map<String, Long> result = new LinkedHashMap<>();
    counts.forEach((key, value) -> {
      if (kept.contains(key)) {
        result.put(key, value);
      }
    });
    return result;
  }

  private static List<DlqInspectResult.Sample> samples(List<DlqInspectResult.Sample> samples, int keep,
      int maxChars, List<String> cuts) {
    return first("samples", samples, keep, cuts, s -> new DlqInspectResult.Sample(s.partition(), s.offset(),
        shorten(s.key(), maxChars), shorten(s.correlationId(), maxChars), shorten(s.errorType(), maxChars),
        shorten(s.targetTopic(), maxChars)));
  }

  private static List<DlqInspectResult.ReplayedRange> ranges(List<DlqInspectResult.ReplayedRange> ranges, int keep,
      int maxChars, List<String> cuts) {
    List<DlqInspectResult.ReplayedRange> kept = first("alreadyReplayedRanges", ranges, keep, cuts,
        r -> new DlqInspectResult.ReplayedRange(r.partition(), r.startOffset(), r.endOffset(),
            shorten(r.replayName(), Math.max(maxChars, 32))));
    return kept == null || kept.isEmpty() ? null : kept;
  }

  /** The first {@code keep} items, each shortened; a cut is named in {@code cuts}; null stays null. */
  private static <T> List<T> first(String name, List<T> items, int keep, List<String> cuts,
      UnaryOperator<T> shortened) {
    if (items == null) {
      return null;
    }
    if (items.size() > keep) {
      cuts.add(name + " " + keep + " of " + items.size());
    }
    return items.stream().limit(keep).map(shortened).toList();
  }

  static String shorten(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    return maxChars <= 3 ? text.substring(0, Math.max(0, maxChars)) : text.substring(0, maxChars - 3) + "...";
  }

  /**
   * The text cut to at most {@code maxBytes} of UTF-8, whole characters only, ending in "..." when cut. JSON
   * escapes can still make it longer in the result, so callers repeat until the JSON fits.
   */
  public static String cutToBytes(String text, int maxBytes) {
    if (bytes(text) <= maxBytes) {
      return text;
    }
    int budget = maxBytes - 3;
    int end = 0;
    int used = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (used + size > budget) {
        break;
      }
      used += size;
      end += Character.charCount(codePoint);
    }
    return budget <= 0 ? "" : text.substring(0, end) + "...";
  }

  private static int bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }
}
