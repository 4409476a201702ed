package io.reducer.workloads.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The per-partition part of an inspect result, which does not fit in a termination message for a DLQ of many
 * partitions. With {@code --result-group} the inspect commits, for that group, every snapshot partition's end offset
 * with this as the offset's metadata: {@code {"v":1,"run":"...","start":0,"matched":21}}. The committed offset is
 * the snapshot end; {@code start} is the snapshot start (log start when it was taken) and {@code matched} the
 * matching records of that partition. {@code run} is the same id as the termination message's
 * {@link DlqInspectResult.ResultGroup#run()}, so a reader never mixes figures of two runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InspectPartition(@JsonProperty("v") int version, @JsonProperty("run") String run,
    @JsonProperty("start") long startOffset, @JsonProperty("matched") long matched) {

  static final int VERSION = 1;

  public InspectPartition(String run, long startOffset, long matched) {
    this(VERSION, run, startOffset, matched);
  }

  /** The offset metadata; well below Kafka's default offset.metadata.max.bytes of 4096. */
  public String toMetadata() {
    try {
      return DlqJson.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The figures in an offset's metadata; null when the metadata is not that (another writer, an older version). */
  public static InspectPartition fromMetadata(String metadata) {
    if (metadata == null || !metadata.startsWith("{")) {
      return null;
    }
    try {
      InspectPartition figures = DlqJson.MAPPER.readValue(metadata, InspectPartition.class);
      return figures != null && figures.version() == VERSION && figures.run() != null ? figures : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
