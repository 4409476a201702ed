package io.reducer.testsupport.cluster;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/** One start of a pod's container: its process and what is needed to report how it ended. */
final class ContainerRun {

  final long serial;
  final Process process;
  final Instant startedAt;
  final Path logFile;
  /** Where this run's output starts in the log file, which earlier runs of the pod share. */
  final long logOffset;
  final Path terminationLog;
  final List<Future<?>> probes = new ArrayList<>();

  ContainerRun(long serial, Process process, Instant startedAt, Path logFile, long logOffset, Path terminationLog) {
    this.serial = serial;
    this.process = process;
    this.startedAt = startedAt;
    this.logFile = logFile;
    this.logOffset = logOffset;
    this.terminationLog = terminationLog;
  }

  String containerId() {
    return "local://" + process.pid();
  }

  void stopProbes() {
    probes.forEach(probe -> probe.cancel(false));
    probes.clear();
  }
}
