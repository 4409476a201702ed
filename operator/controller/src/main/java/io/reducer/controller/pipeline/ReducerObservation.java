package io.reducer.controller.pipeline;

import io.reducer.controller.workload.EmergencyStop;

/**
 * What the pipeline reconciler observed of its reducers before deciding: why they are paused, why the spec cannot be
 * acted on, how many partitions the actions topic has, the Deployment as it is, and the reset holding them.
 *
 * @param pause why the pipeline is paused; null when it runs
 * @param refusalReason a reason the reducer spec cannot be acted on (InvalidStateMachine, ImageNotAllowed); null
 *     when it can
 * @param refusalMessage what is wrong and how to fix it; null when nothing is
 * @param actionsPartitions partitions of the actions topic; null when unknown (broker unreachable, topic missing)
 * @param deploymentReplicas spec.replicas of the reducer Deployment; null when there is none
 * @param readyReplicas its ready pods
 * @param connectionsBlocked a connection fails in a way only the user can fix (a missing Secret, bad credentials):
 *     pods would fail the same way, so none are created or changed until it is fixed
 * @param heldByReset the running WatermarkReset (spec.pipelineRef) that holds the reducers at zero; null when none
 */
public record ReducerObservation(EmergencyStop.Reason pause, String refusalReason, String refusalMessage,
    Integer actionsPartitions, Integer deploymentReplicas, int readyReplicas, boolean connectionsBlocked,
    String heldByReset) {
}
