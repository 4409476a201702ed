package io.reducer.workloads.offsets;

import java.util.List;

/**
 * A consumer group's state and who is in it, as far as a reset cares: it may only run when the group is Empty or
 * Dead (no member could commit offsets or write watermarks behind its back).
 *
 * @param empty the group is Empty or Dead
 * @param members one line per member: id, client id, host and assigned partitions
 */
record GroupMembers(String group, String state, boolean empty, List<String> members) {

  String refusal() {
    return "consumer group '" + group + "' is " + state + " with " + members.size() + " member(s), so it is not "
        + "reset: stop its consumers first (scale the materializers to 0, or pause the Projection) and wait "
        + "until the group is Empty" + (members.isEmpty() ? "" : "; members: " + String.join("; ", members));
  }
}
