package io.reducer.testsupport.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Prometheus scrape of the operator, the reducer or the materializer must show of its JVM and process meters
 * (the workloads' {@code ProcessMetrics}): every family present, and the figures that a running JVM cannot have at
 * zero above zero, {@code reducer_memory_mb} in MiB (not bytes or kB).
 */
public final class ProcessMetricsCheck {

  /** Families with a sample that must be above zero; the value is a label the sample must carry, or "". */
  private static final Map<String, String> POSITIVE = new LinkedHashMap<>();
  /** Families that must be present, whatever their value (a CPU load can be unknown on the first scrape). */
  private static final List<String> PRESENT = List.of("jvm_memory_committed_bytes", "jvm_memory_max_bytes",
      "jvm_buffer_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_daemon_threads",
      "jvm_threads_peak_threads", "jvm_threads_states_threads", "process_cpu_usage", "system_cpu_usage");
  /** 64 GiB: a test JVM's resident set in MiB is far below; in bytes or kB it would be far above 1 or this. */
  private static final double MAX_SANE_MIB = 65_536;

  static {
    POSITIVE.put("jvm_memory_used_bytes", "area=\"heap\"");
    POSITIVE.put("jvm_threads_live_threads", "");
    POSITIVE.put("jvm_classes_loaded_classes", "");
    POSITIVE.put("system_cpu_count", "");
    POSITIVE.put("process_files_open_files", "");
    POSITIVE.put("process_files_max_files", "");
    POSITIVE.put("process_uptime_seconds", "");
    POSITIVE.put("process_start_time_seconds", "");
    POSITIVE.put("reducer_memory_mb", "");
  }

  private ProcessMetricsCheck() {
  }

  /** What is missing or not sane in {@code exposition} (Prometheus text); empty when all is well. */
  public static List<String> problems(String exposition) {
    List<Sample> samples = samples(exposition);
    List<String> problems = new ArrayList<>();
    POSITIVE.forEach((name, label) -> {
      List<Sample> family = samples.stream().filter(s -> s.name.equals(name) && s.labels.contains(label)).toList();
      if (family.isEmpty()) {
        problems.add(name + (label.isEmpty() ? "" : "{" + label + "}") + " is not exported");
      } else if (family.stream().noneMatch(s -> s.value > 0)) {
        problems.add(name + " is not above zero: " + family);
      }
    });
    PRESENT.stream().filter(name -> samples.stream().noneMatch(s -> s.name.equals(name)))
        .forEach(name -> problems.add(name + " is not exported"));
    samples.stream().filter(s -> s.name.equals("reducer_memory_mb") && s.value >= MAX_SANE_MIB)
        .forEach(s -> problems.add("reducer_memory_mb is not in MiB: " + s.value));
    return problems;
  }

  /** One sample of a Prometheus text exposition: name, the labels as written between the braces, value. */
  public record Sample(String name, String labels, double value) {
  }

  /** The samples of a Prometheus text exposition (comments skipped). */
  public static List<Sample> samples(String exposition) {
    List<Sample> samples = new ArrayList<>();
    exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      boolean labelled = brace >= 0 && brace < space;
      int valueStart = labelled ? line.lastIndexOf('}') + 2 : space + 1;
      String value = line.substring(valueStart).split(" ")[0];
      samples.add(new Sample(line.substring(0, labelled ? brace : space),
          labelled ? line.substring(brace + 1, line.lastIndexOf('}')) : "", parse(value)));
    });
    return samples;
  }

  private static double parse(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
  }
}
