package io.reducer.workloads.dlq;

/**
 * How a replay is known to Kafka: by its name ({@code --replay-name}), which is its header x-replay-name and, behind
 * {@link #PREFIX}, its transactional.id and its default consumer group.
 */
public final class ReplayNames {

  /** Before the name in the replay's transactional.id and default consumer group. */
  public static final String PREFIX = "reducer-dlq-replay.";
  /** The longest name {@code dlq replay} accepts. */
  public static final int MAX_NAME_LENGTH = 200;

  private ReplayNames() {
  }

  /** The replay's transactional.id, and its consumer group unless {@code --group} names another. */
  public static String prefixed(String replayName) {
    return PREFIX + replayName;
  }
}
