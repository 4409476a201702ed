package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a projection's watermarks in a loop and remembers when each offset range first became visible: the time
 * the query was sent, so a range is seen at most one poll interval after its transaction committed.
 */
public final class WatermarkPoller implements AutoCloseable {

  /** Offsets [from, to) of a partition were first visible at {@code nanos} (System.nanoTime). */
  public record Visible(int partition, long from, long to, long nanos) {
  }

  private final Connection connection;
  private final PreparedStatement query;
  private final Map<Integer, Long> next = new HashMap<>();
  private final List<Visible> visible = new ArrayList<>();
  private int rows;

  public WatermarkPoller(Connection connection, String projection) throws SQLException {
    this.connection = connection;
    connection.setAutoCommit(true);
    query = connection.prepareStatement(
        "SELECT partition, next_offset FROM projection_watermarks WHERE projection = ?");
    query.setString(1, projection);
  }

  /** One poll; returns the sum of next offsets (records accounted for, from a log that starts at 0). */
  public long poll() throws SQLException {
    long sent = System.nanoTime();
    long sum = 0;
    int count = 0;
    try (ResultSet result = query.executeQuery()) {
      while (result.next()) {
        count++;
        int partition = result.getInt(1);
        long offset = result.getLong(2);
        long before = next.getOrDefault(partition, 0L);
        if (offset > before) {
          visible.add(new Visible(partition, before, offset, sent));
          next.put(partition, offset);
        }
        sum += offset;
      }
    }
    rows = count;
    return sum;
  }

  /** Watermark rows seen by the last poll: one per partition the materializer has loaded. */
  public int partitions() {
    return rows;
  }

  public List<Visible> visible() {
    return visible;
  }

  @Override
  public void close() throws SQLException {
    query.close();
    connection.close();
  }
}
