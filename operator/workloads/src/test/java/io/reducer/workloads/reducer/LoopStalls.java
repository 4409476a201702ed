package io.reducer.workloads.reducer;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * The benchmark's log of the poll loop's stalls in the latency phase (docs/benchmarks.md, "Reducer"): the loop's
 * steps, the maintenance thread's work and the relay's publishes as the reducer's probe stamps them, this JVM's
 * collector pauses and what the database did meanwhile ({@link DatabaseActivity}), all on the
 * {@link System#nanoTime()} clock. A stall is a gap between one poll returning and the
 * next starting, time spent polling after records were there, or a step of the database worker, longer than
 * {@link #THRESHOLD_NANOS}. Written by
 * the reducer's threads and the JVM's notification thread, read once the reducer has stopped.
 */
final class LoopStalls {

  static final long THRESHOLD_NANOS = 50_000_000L;

  /** Something that ran from {@code from} to {@code to}. */
  record Interval(String what, long from, long to) {

    long overlap(long start, long end) {
      return LoopStalls.overlap(from, to, start, end);
    }
  }

  /** A step of the loop, with the JIT's total compilation milliseconds when it was stamped. */
  private record Step(ReducerProbe.Step step, long from, long to, long jitMs) {
  }

  /**
   * {@code returned}: a stall in the poll whose poll returned records (else one that returned none); {@code worker}:
   * the database worker's step that ran long (null for a stall of the poll loop).
   */
  private record Stall(boolean inPoll, long from, long to, boolean returned, ReducerProbe.Step worker) {
  }

  private final List<Step> steps = Collections.synchronizedList(new ArrayList<>());
  private final List<Interval> maintenance = new ArrayList<>();
  private final List<Interval> publishes = new ArrayList<>();
  private final List<Interval> collections = Collections.synchronizedList(new ArrayList<>());
  private final List<Interval> database = new ArrayList<>();
  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
  private final NotificationListener listener;

  LoopStalls() {
    // GcInfo times are milliseconds of JVM uptime; this maps them onto nanoTime (to about a millisecond).
    long jvmStart = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
    listener = (notification, handback) -> {
      if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
            (CompositeData) notification.getUserData());
        GcInfo gc = info.getGcInfo();
        collections.add(new Interval(info.getGcName() + " (" + info.getGcCause() + ")",
            jvmStart + gc.getStartTime() * 1_000_000L, jvmStart + gc.getEndTime() * 1_000_000L));
      }
    };
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
    }
  }

  void step(ReducerProbe.Step step, long from, long to) {
    steps.add(new Step(step, from, to, jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0));
  }

  void maintained(String work, long from, long to) {
    maintenance.add(new Interval(work, from, to));
  }

  void published(long from, long to) {
    publishes.add(new Interval("publish", from, to));
  }

  /** What {@link DatabaseActivity} saw in the database meanwhile. */
  void database(List<Interval> activity) {
    database.addAll(activity);
  }

  /**
   * Prints each stall after {@code phaseStart} with what the loop did and what overlapped it, and returns the lines
   * for the report: the stalls' count and total, and the slowest actions' wait for the loop to poll attributed to
   * what overlapped it.
   *
   * @param available by the start of each poll that returned latency-phase actions, when the first of them was sent
   * @param slowWaits the slowest 5 %'s waits for the loop to poll, each from sent to the start of its poll
   */
  List<String> report(long phaseStart, Map<Long, Long> available, List<long[]> slowWaits) {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) collector).removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // never added
      }
    }
    List<Interval> gc = List.copyOf(collections);
    List<Stall> stalls = stalls(phaseStart, available);
    long between = 0;
    long inWorker = 0;
    long total = 0;
    for (Stall stall : stalls) {
      inWorker += stall.worker() != null ? 1 : 0;
      between += stall.inPoll() || stall.worker() != null ? 0 : 1;
      total += stall.to() - stall.from();
      System.out.println("  " + describe(stall, phaseStart, gc));
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format("stalls over %d ms: %d (%d between polls, %d in the poll, %d in the database worker), "
        + "%,.0f ms in all; in the phase %d GC pauses (%.0f ms), %d maintenance tasks (%.0f ms), %d relay publishes",
        THRESHOLD_NANOS / 1_000_000, stalls.size(), between, stalls.size() - between - inWorker, inWorker,
        total / 1e6, count(gc, phaseStart), sum(gc, phaseStart) / 1e6,
        count(maintenance, phaseStart), sum(maintenance, phaseStart) / 1e6, count(publishes, phaseStart)));
    lines.add(attribution(slowWaits, gc));
    return lines;
  }

  /**
   * Gaps between polls, polls that ran for longer than the threshold after records were there (after the first
   * of the records it returned was sent, or, for a poll that returned none, after the first record a later poll
   * returned was sent), and steps of the database worker (statements, dead letters, commit, a conflict backoff)
   * longer than the threshold.
   */
  private List<Stall> stalls(long phaseStart, Map<Long, Long> available) {
    List<Step> polls = steps.stream().filter(s -> s.step() == ReducerProbe.Step.POLL).toList();
    List<Stall> stalls = new ArrayList<>();
    long sentForLater = Long.MAX_VALUE;
    for (int i = polls.size() - 1; i >= 0; i--) {
      Step poll = polls.get(i);
      if (poll.to() < phaseStart) {
        break;
      }
      if (i > 0 && poll.from() - polls.get(i - 1).to() > THRESHOLD_NANOS && polls.get(i - 1).to() >= phaseStart) {
        stalls.add(new Stall(false, polls.get(i - 1).to(), poll.from(), false, null));
      }
      Long sent = available.get(poll.from());
      long there = Math.max(poll.from(), sent == null ? sentForLater : sent);
      if (poll.to() - there > THRESHOLD_NANOS) {
        stalls.add(new Stall(true, there, poll.to(), sent != null, null));
      }
      if (sent != null) {
        sentForLater = Math.min(sentForLater, sent);
      }
    }
    for (Step step : steps) {
      if (step.step() != ReducerProbe.Step.POLL && step.step() != ReducerProbe.Step.OFFSET_COMMIT
          && step.to() >= phaseStart && step.to() - step.from() > THRESHOLD_NANOS) {
        stalls.add(new Stall(false, step.from(), step.to(), false, step.step()));
      }
    }
    stalls.sort((a, b) -> Long.compare(a.from(), b.from()));
    return stalls;
  }

  private String describe(Stall stall, long phaseStart, List<Interval> gc) {
    StringBuilder text = new StringBuilder(String.format("stall at %,.0f ms for %.0f ms", (stall.from() - phaseStart)
        / 1e6, (stall.to() - stall.from()) / 1e6));
    if (stall.worker() != null) {
      text.append(", in the database worker's ").append(name(stall.worker()));
    } else if (stall.inPoll()) {
      text.append(stall.returned() ? ", in a poll that returned records" : ", in a poll that returned none");
    } else {
      text.append(", between polls:");
      Map<ReducerProbe.Step, long[]> done = new EnumMap<>(ReducerProbe.Step.class);
      long accounted = 0;
      for (Step step : steps) {
        long overlap = overlap(step.from(), step.to(), stall.from(), stall.to());
        if (overlap > 0 && step.step() != ReducerProbe.Step.POLL) {
          long[] sum = done.computeIfAbsent(step.step(), s -> new long[2]);
          sum[0]++;
          sum[1] += overlap;
          accounted += overlap;
        }
      }
      done.forEach((step, sum) -> text.append(String.format(" %s %dx %.1f ms,", name(step), sum[0], sum[1] / 1e6)));
      text.append(String.format(" other %.1f ms", (stall.to() - stall.from() - accounted) / 1e6));
    }
    text.append("; overlapping:");
    int before = text.length();
    for (Interval pause : gc) {
      appendOverlap(text, "GC " + pause.what(), pause, stall);
    }
    for (Interval work : maintenance) {
      appendOverlap(text, "maintenance " + work.what(), work, stall);
    }
    long relay = 0;
    int relayCount = 0;
    for (Interval publish : publishes) {
      long overlap = publish.overlap(stall.from(), stall.to());
      relay += overlap;
      relayCount += overlap > 0 ? 1 : 0;
    }
    if (relayCount > 0) {
      text.append(String.format(" relay %d publishes %.1f ms,", relayCount, relay / 1e6));
    }
    for (Interval activity : database) {
      appendOverlap(text, "database: " + activity.what(), activity, stall);
    }
    long jitMs = jitMsDuring(stall.from(), stall.to());
    if (jitMs > 0) {
      text.append(String.format(" JIT compiling %d ms,", jitMs));
    }
    if (text.length() == before) {
      text.append(" nothing recorded");
    } else {
      text.setLength(text.length() - 1);
    }
    return text.toString();
  }

  private static void appendOverlap(StringBuilder text, String what, Interval interval, Stall stall) {
    long overlap = interval.overlap(stall.from(), stall.to());
    if (overlap > 0) {
      text.append(String.format(" %s %.1f ms,", what, overlap / 1e6));
    }
  }

  /**
   * The compilers' milliseconds between the loop's last stamp before {@code from} and its first after {@code to}:
   * the JIT's total grows as each compilation ends, so this is a rough figure.
   */
  private long jitMsDuring(long from, long to) {
    long before = -1;
    for (Step step : steps) {
      if (step.to() <= from) {
        before = step.jitMs();
      } else if (step.to() >= to) {
        return before < 0 ? 0 : step.jitMs() - before;
      }
    }
    return 0;
  }

  /**
   * The slowest actions' waits for the loop to poll, split by what overlapped them, each moment counted once, in
   * this order: a GC pause (it stops every thread), the maintenance thread's work, a relay publish, none of these;
   * and what the loop itself was doing meanwhile.
   */
  private String attribution(List<long[]> waits, List<Interval> gc) {
    List<Interval> withMaintenance = new ArrayList<>(gc);
    withMaintenance.addAll(maintenance);
    List<Interval> withRelay = new ArrayList<>(withMaintenance);
    withRelay.addAll(publishes);
    List<long[]> gcUnion = union(gc);
    List<long[]> maintenanceUnion = union(withMaintenance);
    List<long[]> relayUnion = union(withRelay);
    Map<ReducerProbe.Step, long[]> loop = new EnumMap<>(ReducerProbe.Step.class);
    for (ReducerProbe.Step kind : ReducerProbe.Step.values()) {
      loop.put(kind, new long[1]);
    }
    long[] sums = new long[4];
    for (long[] wait : waits) {
      long inGc = covered(gcUnion, wait[0], wait[1]);
      long inMaintenance = covered(maintenanceUnion, wait[0], wait[1]);
      long inRelay = covered(relayUnion, wait[0], wait[1]);
      sums[0] += inGc;
      sums[1] += inMaintenance - inGc;
      sums[2] += inRelay - inMaintenance;
      sums[3] += wait[1] - wait[0];
      for (Step step : steps) {
        loop.get(step.step())[0] += overlap(step.from(), step.to(), wait[0], wait[1]);
      }
    }
    double n = Math.max(1, waits.size());
    StringBuilder text = new StringBuilder(String.format("wait for the loop to poll of the slowest 5 %% (%d actions), "
        + "mean ms by what overlapped it: GC %.1f, maintenance %.1f, relay %.1f, none found %.1f; the loop meanwhile:",
        waits.size(), sums[0] / 1e6 / n, sums[1] / 1e6 / n, sums[2] / 1e6 / n,
        (sums[3] - sums[0] - sums[1] - sums[2]) / 1e6 / n));
    long accounted = 0;
    for (Map.Entry<ReducerProbe.Step, long[]> kind : loop.entrySet()) {
      accounted += kind.getValue()[0];
      text.append(String.format(" %s %.1f,", name(kind.getKey()), kind.getValue()[0] / 1e6 / n));
    }
    text.append(String.format(" other %.1f", (sums[3] - accounted) / 1e6 / n));
    return text.toString();
  }

  /** The intervals' union: sorted, disjoint [from, to] pairs. */
  private static List<long[]> union(List<Interval> intervals) {
    List<Interval> sorted = new ArrayList<>(intervals);
    sorted.sort((a, b) -> Long.compare(a.from(), b.from()));
    List<long[]> union = new ArrayList<>();
    for (Interval interval : sorted) {
      long[] last = union.isEmpty() ? null : union.get(union.size() - 1);
      if (last != null && interval.from() <= last[1]) {
        last[1] = Math.max(last[1], interval.to());
      } else {
        union.add(new long[] {interval.from(), interval.to()});
      }
    }
    return union;
  }

  /** How much of [from, to] a union covers. */
  private static long covered(List<long[]> union, long from, long to) {
    long covered = 0;
    for (long[] part : union) {
      covered += overlap(part[0], part[1], from, to);
    }
    return covered;
  }

  /** How long [from, to] and [start, end] have in common. */
  private static long overlap(long from, long to, long start, long end) {
    return Math.max(0, Math.min(to, end) - Math.max(from, start));
  }

  private static int count(List<Interval> intervals, long phaseStart) {
    return (int) intervals.stream().filter(i -> i.to() >= phaseStart).count();
  }

  private static long sum(List<Interval> intervals, long phaseStart) {
    return intervals.stream().filter(i -> i.to() >= phaseStart).mapToLong(i -> i.to() - i.from()).sum();
  }

  private static String name(ReducerProbe.Step step) {
    return step.name().toLowerCase().replace('_', ' ');
  }
}
