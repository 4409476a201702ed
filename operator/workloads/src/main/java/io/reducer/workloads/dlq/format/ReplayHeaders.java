package io.reducer.workloads.dlq.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The provenance headers a replay adds to every record it republishes. A replayed record that fails again comes
 * back to a DLQ with its headers, so the next replay reads {@link #COUNT} and the {@code maxReplays} loop guard
 * works across replays. Earlier values are replaced, never repeated.
 */
public final class ReplayHeaders {

  /** Name of the replay (DlqReplay resource or --replay-name) that republished the record. */
  public static final String NAME = "x-replay-name";
  /** How many times the record has been replayed, this time included: 1 on the first replay. */
  public static final String COUNT = "x-replay-count";
  /** Where the replay read it: {@code <dlq topic>:<partition>:<offset>}, unique per DLQ record. */
  public static final String SOURCE = "x-replay-source";

  private ReplayHeaders() {
  }

  public static boolean isReplayHeader(String name) {
    return name.equals(NAME) || name.equals(COUNT) || name.equals(SOURCE);
  }

  /**
   * The replay count recorded in these headers: 0 without the header. A value that is not a number counts as
   * {@link Integer#MAX_VALUE}, so the loop guard skips the record rather than trusting it.
   */
  static int count(Iterable<Header> headers) {
    String value = null;
    for (Header header : headers) {
      if (header.key().equals(COUNT)) {
        value = HeaderValues.text(header);
      }
    }
    if (value == null) {
      return 0;
    }
    try {
      int count = Integer.parseInt(value.trim());
      return count < 0 ? Integer.MAX_VALUE : count;
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** The headers to send: the carried ones, then this replay's provenance. */
  public static List<Header> add(List<Header> carried, String replayName, int previousCount, String dlqTopic,
      int partition, long offset) {
    List<Header> headers = new ArrayList<>(carried.size() + 3);
    headers.addAll(carried);
    headers.add(header(NAME, replayName));
    headers.add(header(COUNT, Integer.toString(previousCount + 1)));
    headers.add(header(SOURCE, dlqTopic + ":" + partition + ":" + offset));
    return headers;
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
