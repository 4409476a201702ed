package io.reducer.controller.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reducer.controller.connections.PipelineClients;

/**
 * The operator's own load on the systems it watches: {@code reducer_operator_kafka_admin_requests_total} and
 * {@code reducer_operator_database_runs_total}. Probes are batched per pipeline, so at rest both grow by a constant
 * per pipeline and probe interval, however many projections there are; a rate that grows with the projections
 * points at a regression.
 */
public final class ExternalCallMetrics {

  private ExternalCallMetrics() {
  }

  public static void bindTo(MeterRegistry registry, PipelineClients clients) {
    FunctionCounter.builder("reducer_operator_kafka_admin_requests_total", clients,
            PipelineClients::kafkaAdminRequests)
        .description("Requests the operator's Kafka admin clients sent to the brokers (probes, topics, resets)")
        .register(registry);
    FunctionCounter.builder("reducer_operator_database_runs_total", clients, PipelineClients::databaseRuns)
        .description("Units of work the operator ran on pipelines' databases, each on one connection (probes, schema)")
        .register(registry);
  }
}
