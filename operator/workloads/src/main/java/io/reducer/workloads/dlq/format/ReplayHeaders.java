package io.reducer.workloads.dlq.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The provenance headers a replay adds to every record it republishes. A replayed record that fails again comes
 * back to a DLQ with its headers, so the next replay reads {@link #COUNT} and the {@code maxReplays} loop guard
 * works across replays. Earlier values are replaced, never repeated.
 *
 * <p>An instance writes them for one replay; it reuses the header objects that are the same for every record.
 */
public final class ReplayHeaders {

  /** Name of the replay (DlqReplay resource or --replay-name) that republished the record. */
  public static final String NAME = "x-replay-name";
  /** How many times the record has been replayed, this time included: 1 on the first replay. */
  public static final String COUNT = "x-replay-count";
  /** Where the replay read it: {@code <dlq topic>:<partition>:<offset>}, unique per DLQ record. */
  public static final String SOURCE = "x-replay-source";
  private static final int CACHED_COUNTS = 128;

  private final Header name;
  private final Header[] counts = new Header[CACHED_COUNTS];
  private final String dlqTopic;
  private final Map<Integer, byte[]> sourcePrefixes = new HashMap<>();

  public ReplayHeaders(String replayName, String dlqTopic) {
    this.name = header(NAME, replayName);
    this.dlqTopic = dlqTopic;
    for (int i = 0; i < CACHED_COUNTS; i++) {
      counts[i] = header(COUNT, Integer.toString(i));
    }
  }

  /** The headers to send: the carried ones, then this replay's provenance. */
  public List<Header> add(List<Header> carried, int previousCount, int partition, long offset) {
    List<Header> headers = new ArrayList<>(carried.size() + 3);
    headers.addAll(carried);
    headers.add(name);
    int count = previousCount + 1;
    headers.add(count > 0 && count < CACHED_COUNTS ? counts[count] : header(COUNT, Integer.toString(count)));
    headers.add(new RecordHeader(SOURCE, source(partition, offset)));
    return headers;
  }

  public static boolean isReplayHeader(String name) {
    // Cheap first test: most headers a DLQ record carries are not ours.
    return name.startsWith("x-replay-") && (name.equals(NAME) || name.equals(COUNT) || name.equals(SOURCE));
  }

  /**
   * The replay count of an {@code x-replay-count} header: 0 without one. A value that is not a number counts as
   * {@link Integer#MAX_VALUE}, so the loop guard skips the record rather than trusting it.
   */
  static int count(Header header) {
    String value = HeaderValues.text(header);
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

  /** {@code <dlq topic>:<partition>:<offset>} as UTF-8, without building a string per record. */
  private byte[] source(int partition, long offset) {
    byte[] prefix = sourcePrefixes.computeIfAbsent(partition,
        p -> (dlqTopic + ":" + p + ":").getBytes(StandardCharsets.UTF_8));
    int digits = 1;
    for (long rest = offset / 10; rest > 0; rest /= 10) {
      digits++;
    }
    byte[] bytes = new byte[prefix.length + digits];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    long rest = offset;
    for (int i = bytes.length - 1; i >= prefix.length; i--) {
      bytes[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    return bytes;
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
