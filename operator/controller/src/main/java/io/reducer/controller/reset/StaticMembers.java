package io.reducer.controller.reset;

import io.reducer.controller.kafka.ConsumerGroupState;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which static members of a held workload's consumer group belong to pods that are gone. The materializers and
 * reducers join their group as static members under their pod's name, and a static member whose process died
 * without leaving (kill -9, a lost node) stays in the group until its session times out, even after its pod is
 * deleted. A reset removes exactly those: a member is stale only when its instance id has the form of a pod name of
 * the workload's Deployment ({@code <deployment>-<template hash>-<5 characters>}) and no such pod exists. A member of
 * a pod that still exists (running or terminating) or of a process outside the Deployment is never removed; the reset
 * waits for it to leave. A removed member whose process did live on is fenced by Kafka and, if it rejoins, makes the
 * group non-empty again; the epoch bump fences its writes after the reset.
 */
final class StaticMembers {

  private StaticMembers() {
  }

  /**
   * @param deployment the name of the workload's Deployment
   * @param pods the names of every pod of that Deployment that exists, terminating ones included
   */
  static List<String> ofGonePods(ConsumerGroupState group, String deployment, Collection<String> pods) {
    Pattern podName = Pattern.compile(Pattern.quote(deployment + "-") + "[a-z0-9]{1,10}-[a-z0-9]{5}");
    Set<String> existing = Set.copyOf(pods);
    return group.staticMembers().stream().filter(id -> podName.matcher(id).matches() && !existing.contains(id))
        .distinct().sorted().toList();
  }
}
