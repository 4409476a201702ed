package io.reducer.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How fast the machine ran while a benchmark ran. On a shared host the same work can take half again as long for
 * seconds or minutes at a time while the load average stays where it was (other guests on the same cores, caches
 * and memory), and every CPU-bound figure measured then is lower. A daemon thread does two fixed pieces of work
 * once a second and keeps the CPU time its thread needed for each, about 2 % of one core: arithmetic on registers,
 * and a walk of random links through 16 MiB, which waits on memory as brokers and databases do and moves most. A
 * phase prints the medians since its start; the same phase of two runs compares how fast the machine was. The
 * times count this thread only, not its wait for a core, but the benchmark's own use of caches and memory moves the
 * second one too: compare a phase with the same phase, not with another.
 */
public final class HostSpeed implements AutoCloseable {

  private static final long INTERVAL_MS = 1000;
  /** Samples while the JIT compiles the work: not comparable with the later ones. */
  private static final int WARM_UP_SAMPLES = 3;
  private static final int ARITHMETIC_ITERATIONS = 4_000_000;
  private static final int LINKS = 1 << 22;
  private static final int STEPS = 100_000;
  private static volatile long sink;

  /** Per sample: ms of CPU for the arithmetic, then for the memory walk. */
  private final List<double[]> samples = new ArrayList<>();
  private final long intervalMs;
  private final Thread thread;
  private volatile boolean stopped;

  private HostSpeed(long intervalMs) {
    this.intervalMs = intervalMs;
    thread = new Thread(this::sample, "host-speed");
    thread.setDaemon(true);
  }

  /** Starts sampling once a second; the first comparable sample comes about four seconds later. */
  public static HostSpeed start() {
    return start(INTERVAL_MS);
  }

  static HostSpeed start(long intervalMs) {
    HostSpeed speed = new HostSpeed(intervalMs);
    speed.thread.start();
    return speed;
  }

  /** Where a phase starts: pass it to {@link #since(int)} at its end. */
  public synchronized int mark() {
    return samples.size();
  }

  /** The medians since the mark, and the fastest samples of the whole run for reference. */
  public synchronized String since(int mark) {
    List<double[]> phase = samples.subList(Math.max(mark, WARM_UP_SAMPLES), samples.size());
    if (phase.isEmpty()) {
      return "host speed: not measured (phase shorter than a sample)";
    }
    List<double[]> run = samples.subList(Math.min(WARM_UP_SAMPLES, samples.size()), samples.size());
    return String.format("host speed: fixed work took %.1f ms of CPU on registers and %.1f ms on memory (medians "
        + "of %d samples; the run's fastest %.1f and %.1f; higher is a slower machine)", median(phase, 0),
        median(phase, 1), phase.size(), fastest(run, 0), fastest(run, 1));
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }

  private static double median(List<double[]> samples, int column) {
    double[] sorted = samples.stream().mapToDouble(sample -> sample[column]).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  private static double fastest(List<double[]> samples, int column) {
    return samples.stream().mapToDouble(sample -> sample[column]).min().orElse(Double.NaN);
  }

  private void sample() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int[] links = links();
    while (!stopped) {
      long start = threads.getCurrentThreadCpuTime();
      sink += arithmetic();
      long between = threads.getCurrentThreadCpuTime();
      sink += walk(links);
      long end = threads.getCurrentThreadCpuTime();
      synchronized (this) {
        samples.add(new double[] {(between - start) / 1e6, (end - between) / 1e6});
      }
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Four independent xorshift chains: the core's arithmetic units, no memory, nothing the JIT can drop. */
  private static long arithmetic() {
    long a = 0x9E3779B97F4A7C15L + sink;
    long b = a + 1;
    long c = a + 2;
    long d = a + 3;
    for (int i = 0; i < ARITHMETIC_ITERATIONS; i++) {
      a ^= a << 13;
      a ^= a >>> 7;
      a ^= a << 17;
      b ^= b << 13;
      b ^= b >>> 7;
      b ^= b << 17;
      c ^= c << 13;
      c ^= c >>> 7;
      c ^= c << 17;
      d ^= d << 13;
      d ^= d >>> 7;
      d ^= d << 17;
    }
    return a + b + c + d;
  }

  /** One cycle through all links in a random order: each step waits for the memory the previous one named. */
  private static int[] links() {
    int[] order = new int[LINKS];
    for (int i = 0; i < LINKS; i++) {
      order[i] = i;
    }
    Random random = new Random(1);
    for (int i = LINKS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] next = new int[LINKS];
    for (int i = 0; i < LINKS; i++) {
      next[order[i]] = order[(i + 1) % LINKS];
    }
    return next;
  }

  private static long walk(int[] links) {
    int at = (int) (sink & (LINKS - 1));
    for (int i = 0; i < STEPS; i++) {
      at = links[at];
    }
    return at;
  }
}
