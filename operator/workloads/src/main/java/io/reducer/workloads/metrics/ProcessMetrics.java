package io.reducer.workloads.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM and process meters that the operator, the reducer and the materializer all export on their {@code /metrics}:
 * memory pools and buffers, GC pauses and allocation, threads, classes, CPU, open files and uptime (Micrometer's
 * binders), and the runbooks' {@code reducer_memory_mb}: the process's resident set size in MiB, what the runbooks'
 * {@code psutil} figure measured and the closest one to what a container's memory limit counts. The one place these
 * are bound.
 *
 * <p>{@link #close()} stops the GC notifications; the rest reads the JVM's beans at scrape time.
 */
public final class ProcessMetrics implements AutoCloseable {

  /** The runbooks' gauge ({@code reducer_memory_mb} in Prometheus). */
  public static final String MEMORY_MB = "reducer.memory.mb";

  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private final JvmGcMetrics gc;

  private ProcessMetrics(JvmGcMetrics gc) {
    this.gc = gc;
  }

  /** Binds every JVM and process meter to {@code registry}; binding again to the same registry adds nothing. */
  public static ProcessMetrics bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder(MEMORY_MB, ProcessMetrics::residentMib)
        .description("resident set size of the process in MiB (VmRSS of /proc/self/status); NaN without /proc")
        .register(registry);
    return new ProcessMetrics(gc);
  }

  @Override
  public void close() {
    gc.close();
  }

  /** This process's resident set size in MiB, or NaN where the system has no {@code /proc/self/status}. */
  static double residentMib() {
    try {
      return residentMib(Files.readString(PROC_STATUS));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The {@code VmRSS} line of a {@code /proc/<pid>/status} text (in kB) in MiB, or NaN without one. */
  static double residentMib(String procStatus) {
    return procStatus.lines().filter(line -> line.startsWith("VmRSS:")).findFirst()
        .map(line -> Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]) / 1024.0)
        .orElse(Double.NaN);
  }
}
