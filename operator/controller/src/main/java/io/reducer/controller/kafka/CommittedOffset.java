package io.reducer.controller.kafka;

/**
 * A consumer group's committed position on one partition.
 *
 * @param offset the next offset the group would read
 * @param metadata the text committed with the offset; empty or null when the committer left none
 */
public record CommittedOffset(long offset, String metadata) {
}
