package io.reducer.workloads.dlq.format;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.common.header.Header;

/**
 * The headers a replay carries over (all but the DLQ writer's own and earlier replay provenance) and the replay
 * count found among them, in one pass over the headers.
 */
final class CarriedHeaders {

  final List<Header> carried;
  final int replayCount;

  private CarriedHeaders(List<Header> carried, int replayCount) {
    this.carried = carried;
    this.replayCount = replayCount;
  }

  static CarriedHeaders of(Iterable<Header> headers, Predicate<String> dlqOwn) {
    List<Header> carried = new ArrayList<>(12);
    Header count = null;
    for (Header header : headers) {
      String name = header.key();
      if (ReplayHeaders.isReplayHeader(name)) {
        if (name.equals(ReplayHeaders.COUNT)) {
          count = header;
        }
      } else if (!dlqOwn.test(name)) {
        carried.add(header);
      }
    }
    return new CarriedHeaders(carried, ReplayHeaders.count(count));
  }

  /** The correlation id of the data contract (DESIGN.md section 4): header {@code correlation-id}. */
  static String correlationId(List<Header> carried) {
    String value = null;
    for (Header header : carried) {
      if (header.key().equals("correlation-id")) {
        value = HeaderValues.text(header);
      }
    }
    return value;
  }
}
