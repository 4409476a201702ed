package io.reducer.api.v1alpha1.projection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Patterns;
import io.reducer.api.v1alpha1.common.WorkloadResources;

/** The materializer Deployment the operator owns for this projection. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaterializerWorkload {

  @Pattern(Patterns.IMAGE)
  @Size(max = 512)
  @JsonPropertyDescription("Materializer image. Omit for the operator's workloads image; other images are only "
      + "accepted from registries the operator's configuration allows.")
  private String image;

  @JsonPropertyDescription("CPU and memory for each materializer pod.")
  private WorkloadResources resources;

  @JsonPropertyDescription("Batching of reads and database writes.")
  private BatchSettings batch = new BatchSettings();

  @Min(6000)
  @Max(1800000)
  @JsonPropertyDescription("Consumer group session timeout in milliseconds (Kafka session.timeout.ms): how long "
      + "the group waits for a materializer pod that died without leaving and was replaced under a new name (a "
      + "lost node, a forced delete) before its partitions move; the projection stalls meanwhile. A container "
      + "restarted in place (kill -9, out of memory) rejoins under its pod's name and takes its partitions back at "
      + "once, whatever this is. Omit for the materializer's default, 10000. Lower shortens that stall, but a long "
      + "GC pause or a slow broker then causes needless rebalances. Must lie within the broker's "
      + "group.min.session.timeout.ms and group.max.session.timeout.ms (6000 and 1800000 by default).")
  private Integer sessionTimeoutMs;

  @Min(1)
  @Max(8)
  @JsonPropertyDescription("PostgreSQL connections each materializer pod writes with. A poll of 500 records or more "
      + "(a materializer catching up) is shared between them, each in its own transaction, so that many database "
      + "backends write at once; smaller polls always use one. Every pod holds this many connections, so the "
      + "projection needs databaseWriters x replicas of the database's max_connections. Omit for the "
      + "materializer's default, 2; 1 writes every poll in one transaction.")
  private Integer databaseWriters;

  @Min(0)
  @Max(500)
  @JsonPropertyDescription("Longest, in milliseconds, a materializer waits before its next poll while records flow, "
      + "so that each fetch carries about 32 KiB. Under steady traffic it then reads, and writes to PostgreSQL, in "
      + "fewer and larger batches (at 20,000 events/s about a quarter less CPU for the materializer, broker and "
      + "database together); each event waits at most this long more. Idle, it waits on the broker as Kafka's "
      + "consumer does (about two fetches a second). 0 polls again at once. Omit for the materializer's default, 5.")
  private Integer fetchWaitMs;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public WorkloadResources getResources() {
    return resources;
  }

  public void setResources(WorkloadResources resources) {
    this.resources = resources;
  }

  public BatchSettings getBatch() {
    return batch;
  }

  public void setBatch(BatchSettings batch) {
    this.batch = batch;
  }

  public Integer getSessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  public void setSessionTimeoutMs(Integer sessionTimeoutMs) {
    this.sessionTimeoutMs = sessionTimeoutMs;
  }

  public Integer getDatabaseWriters() {
    return databaseWriters;
  }

  public void setDatabaseWriters(Integer databaseWriters) {
    this.databaseWriters = databaseWriters;
  }

  public Integer getFetchWaitMs() {
    return fetchWaitMs;
  }

  public void setFetchWaitMs(Integer fetchWaitMs) {
    this.fetchWaitMs = fetchWaitMs;
  }
}
