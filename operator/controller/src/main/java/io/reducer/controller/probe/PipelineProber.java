package io.reducer.controller.probe;

import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.controller.connections.PipelineClients;
import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.TopicOffsets;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.postgres.DatabaseLogin;
import io.reducer.controller.postgres.DatabasePool;
import io.reducer.controller.postgres.ProjectionDatabase;
import io.reducer.controller.status.FailureReason;
import io.reducer.controller.workload.MaterializerDeployment;
import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.materializer.ReservedTables;
import io.reducer.workloads.materializer.TableOwner;
import io.reducer.workloads.materializer.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Probes every projection of one pipeline at once: one offsets read for all their source topics (three Admin
 * calls) and one database run for all of them (their watermarks, their tables' owners and the stale-rows counts of
 * their tables, one statement each). The requests per interval are constant per pipeline, however many projections
 * it has; the database's work in the stale-rows statement grows with the tables it compares.
 */
public final class PipelineProber {


  private final PipelineClients clients;
  private final SecretSource secrets;

  public PipelineProber(PipelineClients clients, SecretSource secrets) {
    this.clients = clients;
    this.secrets = secrets;
  }

  /**
   * @param previous the last probe of a projection by name, or null; regressions are counted against it
   * @return a probe for each projection, by name
   */
  public Map<String, ProjectionProbe> probe(ReducerPipeline pipeline, List<Projection> projections,
      Function<String, ProjectionProbe> previous, Instant now) {
    Map<String, ProjectionProbe> result = new LinkedHashMap<>();
    List<Projection> measurable = withValidTables(projections, result, now);
    if (measurable.isEmpty()) {
      return result;
    }
    String key = pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
    Map<String, TopicOffsets> offsets;
    try {
      KafkaAdminGateway kafka = clients.kafka(key, ConnectionResolver.kafka(pipeline, secrets));
      offsets = readOffsets(kafka, sourceTopics(pipeline, measurable));
    } catch (ResolutionFailure e) {
      measurable.forEach(p -> result.put(name(p), ProjectionProbe.failed(e.reason(), e.getMessage(), now)));
      return result;
    } catch (KafkaFailure e) {
      measurable.forEach(p -> result.put(name(p), ProjectionProbe.failed(e.reason(), e.getMessage(), now)));
      return result;
    }

    Map<String, Map<Integer, Watermark>> watermarks = null;
    Map<String, TableOwner> owners = Map.of();
    Map<String, Long> staleRowsByTable = new HashMap<>();
    FailureReason databaseReason = null;
    String databaseMessage = null;
    try {
      DatabaseLogin login = ConnectionResolver.postgres(pipeline, secrets);
      DatabasePool pool = clients.database(key, login);
      ProjectionDatabase database = new ProjectionDatabase(pipeline.getSpec().getPostgres().getSchema(),
          pipeline.getMetadata().getNamespace(), login.target());
      List<String> names = new ArrayList<>();
      Set<String> tables = new LinkedHashSet<>();
      measurable.forEach(p -> {
        names.add(name(p));
        tables.add(p.getSpec().getTable());
      });
      // One connection for the whole probe: watermarks, owners and stale rows, each in one or two statements.
      DatabaseRead read = pool.run("probing the projections", c -> new DatabaseRead(database.watermarks(c, names),
          database.tableOwners(c, tables), database.staleRows(c, tables)));
      watermarks = read.watermarks();
      owners = read.owners();
      read.staleRows().forEach((table, stale) -> staleRowsByTable.put(table,
          stale.isPresent() ? stale.getAsLong() : null));
    } catch (ResolutionFailure e) {
      databaseReason = e.reason();
      databaseMessage = e.getMessage();
    } catch (DatabaseFailure e) {
      databaseReason = e.reason();
      databaseMessage = e.getMessage();
    }

    for (Projection projection : measurable) {
      String topic = MaterializerDeployment.sourceTopic(projection, pipeline);
      TopicOffsets topicOffsets = offsets.get(topic);
      ProjectionProbe before = previous.apply(name(projection));
      if (topicOffsets == null) {
        result.put(name(projection), ProjectionProbe.failed(KafkaFailure.Reason.TopicNotFound,
            "source topic " + topic + " does not exist on " + pipeline.getSpec().getKafka().getBootstrapServers()
                + "; create it, or fix spec.sourceTopic / the pipeline's stateCommitted topic", now));
        continue;
      }
      if (watermarks == null) {
        result.put(name(projection), new ProjectionProbe(topicOffsets.partitions(), null, null,
            before == null ? 0 : before.regressionsTotal(), databaseReason, databaseMessage, now));
        continue;
      }
      ProjectionMeasurement measurement = LagCalculator.measure(topicOffsets, watermarks.get(name(projection)),
          before == null || before.measurement() == null ? null : before.measurement().partitions(),
          before == null || before.measurement() == null ? null : before.measurement().epoch(),
          Duration.ofSeconds(projection.getSpec().getHealth().getStalledAfterSeconds()), now);
      long regressions = (before == null ? 0 : before.regressionsTotal()) + measurement.regressions();
      result.put(name(projection), new ProjectionProbe(topicOffsets.partitions(), measurement,
          staleRowsByTable.get(projection.getSpec().getTable()), regressions, null, null, now)
          .withTableOwner(owners.get(projection.getSpec().getTable())));
    }
    return result;
  }

  /**
   * The projections whose table can be queried. The CRD refuses other names, but an outdated CRD or a bypassed
   * admission lets them through: each gets a failed probe of its own, and never reaches SQL, so its neighbours are
   * still measured.
   */
  private static List<Projection> withValidTables(List<Projection> projections, Map<String, ProjectionProbe> result,
      Instant now) {
    List<Projection> valid = new ArrayList<>();
    for (Projection projection : projections) {
      String table = projection.getSpec().getTable();
      if (ReservedTables.isReserved(table)) {
        result.put(name(projection), ProjectionProbe.failed(ProbeFailureReason.ReservedTableName, "spec.table '" + table
            + "' is a table of the canonical store or the projections' watermarks: a materializer would corrupt it "
            + "and a rebuild would truncate it, so nothing runs for this projection; choose another table (the "
            + "CRD refuses this name, so the installed CRD may be outdated: update the CRDs)", now));
      } else if (Identifiers.isValid(table)) {
        valid.add(projection);
      } else {
        result.put(name(projection), ProjectionProbe.failed(ProbeFailureReason.InvalidTableName, "spec.table '" + table
            + "' is not a valid table name (" + Identifiers.RULE + "); the CRD's schema refuses it, so the "
            + "installed CRD may be outdated: fix spec.table and update the CRDs", now));
      }
    }
    return valid;
  }

  private static Set<String> sourceTopics(ReducerPipeline pipeline, List<Projection> projections) {
    Set<String> topics = new LinkedHashSet<>();
    projections.forEach(p -> topics.add(MaterializerDeployment.sourceTopic(p, pipeline)));
    return topics;
  }

  /** All topics in one read; when one is missing, the others are read one by one so they still get figures. */
  private static Map<String, TopicOffsets> readOffsets(KafkaAdminGateway kafka, Set<String> topics)
      throws KafkaFailure {
    try {
      return kafka.topicOffsets(topics);
    } catch (KafkaFailure e) {
      if (e.reason() != KafkaFailure.Reason.TopicNotFound || topics.size() == 1) {
        if (e.reason() == KafkaFailure.Reason.TopicNotFound) {
          return Map.of();
        }
        throw e;
      }
      Map<String, TopicOffsets> found = new HashMap<>();
      for (String topic : topics) {
        try {
          found.putAll(kafka.topicOffsets(List.of(topic)));
        } catch (KafkaFailure single) {
          if (single.reason() != KafkaFailure.Reason.TopicNotFound) {
            throw single;
          }
        }
      }
      return found;
    }
  }

  private static String name(Projection projection) {
    return projection.getMetadata().getName();
  }

  private record DatabaseRead(Map<String, Map<Integer, Watermark>> watermarks, Map<String, TableOwner> owners,
      Map<String, OptionalLong> staleRows) {
  }
}
