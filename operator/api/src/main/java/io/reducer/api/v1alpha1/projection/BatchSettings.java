package io.reducer.api.v1alpha1.projection;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How much a materializer reads and writes per database transaction. */
public class BatchSettings {

  @Min(1)
  @Max(100000)
  @Default("500")
  @JsonPropertyDescription("Most records per poll and per database transaction (Kafka max.poll.records).")
  private int maxRecords = 500;

  @Min(1)
  @Max(60000)
  @Default("100")
  @JsonPropertyDescription("Longest a poll waits for records, in milliseconds; bounds added latency when traffic is low.")
  private int pollTimeoutMs = 100;

  public int getMaxRecords() {
    return maxRecords;
  }

  public void setMaxRecords(int maxRecords) {
    this.maxRecords = maxRecords;
  }

  public int getPollTimeoutMs() {
    return pollTimeoutMs;
  }

  public void setPollTimeoutMs(int pollTimeoutMs) {
    this.pollTimeoutMs = pollTimeoutMs;
  }
}
