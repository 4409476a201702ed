package io.reducer.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HostSpeedTest {

  private static final Pattern LINE = Pattern.compile("took ([0-9.]+) ms of CPU on registers and ([0-9.]+) ms on "
      + "memory \\(medians of (\\d+) samples; the run's fastest ([0-9.]+) and ([0-9.]+);");

  @Test
  void aPhaseReportsTheMedianTimesOfItsOwnSamplesAgainstTheRunsFastest() throws InterruptedException {
    try (HostSpeed speed = HostSpeed.start(20)) {
      int start = speed.mark();
      awaitSamples(speed, start + 8);
      Matcher first = LINE.matcher(speed.since(start));
      assertThat(first.find()).as(speed.since(start)).isTrue();
      // The first samples, taken while the JIT compiles the work, are left out.
      assertThat(Integer.parseInt(first.group(3))).isBetween(5, speed.mark() - 3);
      double registers = Double.parseDouble(first.group(1));
      double memory = Double.parseDouble(first.group(2));
      assertThat(registers).isPositive().isGreaterThanOrEqualTo(Double.parseDouble(first.group(4)));
      assertThat(memory).isPositive().isGreaterThanOrEqualTo(Double.parseDouble(first.group(5)));

      int phase = speed.mark();
      assertThat(speed.since(phase)).isEqualTo("host speed: not measured (phase shorter than a sample)");
      awaitSamples(speed, phase + 2);
      Matcher later = LINE.matcher(speed.since(phase));
      assertThat(later.find()).isTrue();
      assertThat(Integer.parseInt(later.group(3))).isBetween(2, speed.mark() - phase);
    }
  }

  private static void awaitSamples(HostSpeed speed, int samples) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (speed.mark() < samples) {
      assertThat(System.nanoTime()).as("%d samples within 30 s", samples).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
