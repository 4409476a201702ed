package io.reducer.testsupport.cluster;

import java.time.Duration;

/**
 * Timings of the local cluster. The defaults keep tests quick; a test that needs faster reactions shortens them.
 * Test infrastructure, see {@link LocalKubelet}.
 *
 * @param resyncPeriod        how often every Deployment, Job and Pod is reconciled even without a watch event
 * @param probePeriod         upper bound of a probe's period and initial delay (a template's 10 s becomes this)
 * @param restartBackoff      the first CrashLoopBackOff wait before a container is restarted in place
 * @param restartBackoffCap   the backoff doubles per restart up to this; also caps a Job's retry backoff
 * @param jobBackoff          the first wait before a failed Job pod is replaced; doubles per failure
 * @param terminationGraceCap upper bound of a pod's terminationGracePeriodSeconds between SIGTERM and SIGKILL
 * @param gcPeriod            how often owner references are checked for owners that no longer exist
 */
public record LocalKubeletOptions(Duration resyncPeriod, Duration probePeriod, Duration restartBackoff,
    Duration restartBackoffCap, Duration jobBackoff, Duration terminationGraceCap, Duration gcPeriod) {

  public static LocalKubeletOptions defaults() {
    Duration second = Duration.ofSeconds(1);
    return new LocalKubeletOptions(second, second, second, Duration.ofSeconds(10), second, Duration.ofSeconds(5),
        second);
  }

  public LocalKubeletOptions withResyncPeriod(Duration value) {
    return new LocalKubeletOptions(value, probePeriod, restartBackoff, restartBackoffCap, jobBackoff,
        terminationGraceCap, gcPeriod);
  }

  public LocalKubeletOptions withProbePeriod(Duration value) {
    return new LocalKubeletOptions(resyncPeriod, value, restartBackoff, restartBackoffCap, jobBackoff,
        terminationGraceCap, gcPeriod);
  }

  public LocalKubeletOptions withRestartBackoff(Duration value) {
    return new LocalKubeletOptions(resyncPeriod, probePeriod, value, restartBackoffCap, jobBackoff,
        terminationGraceCap, gcPeriod);
  }

  public LocalKubeletOptions withRestartBackoffCap(Duration value) {
    return new LocalKubeletOptions(resyncPeriod, probePeriod, restartBackoff, value, jobBackoff,
        terminationGraceCap, gcPeriod);
  }

  public LocalKubeletOptions withJobBackoff(Duration value) {
    return new LocalKubeletOptions(resyncPeriod, probePeriod, restartBackoff, restartBackoffCap, value,
        terminationGraceCap, gcPeriod);
  }

  public LocalKubeletOptions withTerminationGraceCap(Duration value) {
    return new LocalKubeletOptions(resyncPeriod, probePeriod, restartBackoff, restartBackoffCap, jobBackoff,
        value, gcPeriod);
  }

  public LocalKubeletOptions withGcPeriod(Duration value) {
    return new LocalKubeletOptions(resyncPeriod, probePeriod, restartBackoff, restartBackoffCap, jobBackoff,
        terminationGraceCap, value);
  }
}
