package io.reducer.workloads.materializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the benchmark's three parties (this JVM with the materializer, the broker JVM, the PostgreSQL
 * processes), read from /proc. Other builds share the two cores, so wall-clock rates swing between runs; CPU time
 * per event is the steadier figure for comparing variants. Linux only: elsewhere every figure is zero.
 */
public final class CpuMeter {

  public static final double TICKS_PER_SECOND = 100;

  private final String self;
  private final long postmaster;

  CpuMeter(long postmaster) {
    this("materializer JVM", postmaster);
  }

  /** @param self what this JVM runs, as the report names it */
  public CpuMeter(String self, long postmaster) {
    this.self = self;
    this.postmaster = postmaster;
  }

  /** The postmaster's pid: the first line of postmaster.pid in the server's data directory. */
  public static long postmaster(String dataDirectory) {
    try {
      return Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Per party, CPU ticks used so far by each of its live processes. */
  public Map<String, Map<Long, Long>> snapshot() {
    Map<String, Map<Long, Long>> parties = new LinkedHashMap<>();
    long pid = ProcessHandle.current().pid();
    parties.put(self, Map.of(pid, ticks(pid)));
    Map<Long, Long> broker = new HashMap<>();
    ProcessHandle.current().descendants().forEach(child -> broker.put(child.pid(), ticks(child.pid())));
    parties.put("broker", broker);
    Map<Long, Long> postgres = childrenOf(postmaster);
    postgres.put(postmaster, ticks(postmaster));
    parties.put("PostgreSQL", postgres);
    return parties;
  }

  /** Per party, % of one core between two snapshots {@code seconds} apart; processes as in {@link #perEvent}. */
  public static String perSecond(Map<String, Map<Long, Long>> before, Map<String, Map<Long, Long>> after,
      double seconds) {
    StringBuilder text = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Map<Long, Long>> party : after.entrySet()) {
      double percent = ticksBetween(before.get(party.getKey()), party.getValue()) / TICKS_PER_SECOND * 100 / seconds;
      total += percent;
      text.append(String.format("%s %.1f, ", party.getKey(), percent));
    }
    return text.append(String.format("total %.1f %% of a core", total)).toString();
  }

  /**
   * CPU microseconds per event per party between two snapshots. Processes that exited in between are left out
   * (short-lived connections); a new one counts from zero. Counting the postmaster's reaped-children time
   * instead races with backends exiting just before the first snapshot.
   */
  public static String perEvent(Map<String, Map<Long, Long>> before, Map<String, Map<Long, Long>> after, long events) {
    StringBuilder text = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Map<Long, Long>> party : after.entrySet()) {
      long ticks = ticksBetween(before.get(party.getKey()), party.getValue());
      double micros = ticks / TICKS_PER_SECOND * 1e6 / events;
      total += micros;
      text.append(String.format("%s %.1f, ", party.getKey(), micros));
    }
    return text.append(String.format("total %.1f CPU us/event", total)).toString();
  }

  private static long ticksBetween(Map<Long, Long> before, Map<Long, Long> after) {
    long ticks = 0;
    for (Map.Entry<Long, Long> process : after.entrySet()) {
      ticks += process.getValue() - before.getOrDefault(process.getKey(), 0L);
    }
    return ticks;
  }

  private static Map<Long, Long> childrenOf(long parent) {
    Map<Long, Long> children = new HashMap<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes.map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .forEach(name -> {
            String[] stat = stat(Long.parseLong(name));
            if (stat != null && Long.parseLong(stat[1]) == parent) {
              children.put(Long.parseLong(name), Long.parseLong(stat[11]) + Long.parseLong(stat[12]));
            }
          });
    } catch (IOException e) {
      // not Linux: no figures
    }
    return children;
  }

  /** utime + stime of one process, in clock ticks; 0 when it is gone (or not on Linux). */
  public static long ticks(long pid) {
    String[] stat = stat(pid);
    return stat == null ? 0 : Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
  }

  /**
   * A process's CPU ticks by kind of thread, from /proc/pid/task: "JIT" (the C1 and C2 compiler threads), "VM and
   * GC" (the VM thread, which runs the serial collector, and GC threads), "main" (the thread Linux names "java")
   * and "other"; empty when it is gone.
   */
  public static Map<String, Long> ticksByThread(long pid) {
    Map<String, Long> kinds = new LinkedHashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(task -> {
        try {
          String line = Files.readString(task.resolve("stat"));
          String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
          String[] stat = line.substring(line.lastIndexOf(')') + 2).split(" ");
          String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT"
              : name.equals("VM Thread") || name.startsWith("GC Thread") ? "VM and GC"
              : name.equals("java") ? "main" : "other";
          kinds.merge(kind, Long.parseLong(stat[11]) + Long.parseLong(stat[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      });
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return kinds;
  }

  /** Fields of /proc/pid/stat after the command name (state is [0], ppid [1], utime [11], stime [12]). */
  private static String[] stat(long pid) {
    try {
      String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return line.substring(line.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
