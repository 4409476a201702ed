package io.reducer.workloads.dlq.format;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.common.header.Header;

/** The headers a replay carries over: all but the DLQ writer's own and earlier replay provenance. */
final class CarriedHeaders {

  private CarriedHeaders() {
  }

  static List<Header> of(Iterable<Header> headers, Predicate<String> dlqOwn) {
    List<Header> carried = new ArrayList<>();
    for (Header header : headers) {
      if (!dlqOwn.test(header.key()) && !ReplayHeaders.isReplayHeader(header.key())) {
        carried.add(header);
      }
    }
    return carried;
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
