package io.reducer.workloads.reducer;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;

import io.reducer.testsupport.BenchmarkDoc;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.materializer.CpuMeter;
import io.reducer.workloads.materializer.InProcessMaterializer;
import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.materializer.WatermarkPoller;
import io.reducer.workloads.reducer.ReducerTestKit.InProcessReducer;
import io.reducer.workloads.reducer.fsm.StateMachine;
import io.reducer.workloads.reducer.fsm.StateMachineReducer;
import io.reducer.workloads.reducer.spi.Action;
import io.reducer.workloads.reducer.spi.Reduction;
import io.reducer.workloads.reducer.spi.WorkflowState;

/**
 * The reducer's bars (issue: reducer runtime) in one run against a real broker and PostgreSQL: actions produced
 * to state-committed published, against the runbooks' per-action loop (one transaction per action) on the same
 * tables; commit latency; and action to projection row visible at a fixed offered rate with a materializer
 * running. A command, run by scripts/benchmark-reducer.sh; never part of the build.
 */
public final class ReducerBenchmark {

  private static final int PARTITIONS = 12;
  private static final String LOOPING = "{\"states\":[\"OPEN\"],\"transitions\":[{\"from\":\"OPEN\",\"to\":\"OPEN\","
      + "\"trigger\":\"touch\"}]}";
  /**
   * Paced actions before the measured ones: long enough for the JVM's C2 compiler to work off its queue of the
   * phase's hot paths (the Kafka clients' send and fetch paths above all); after 3 s or 10 s it still used a third
   * of a core while the measured actions were sent.
   */
  private static final int LATENCY_WARMUP_SECONDS = 30;
  /**
   * The reducer's steady state, which the throughput bars are about, starts once its JIT compilers have gone quiet.
   * Code that runs once per transaction or per network round trip (the statement's binding, the relay's producer
   * sender) reaches C2's thresholds only after several hundred thousand actions: a second warm-up round still gave
   * the JIT about half of the first round's share, a third a quarter. Further rounds run until a round's share is
   * below this many CPU us per action, or {@link #MAX_WARMUP_ROUNDS} rounds have run.
   */
  private static final double WARM_JIT_US_PER_ACTION = 3.0;
  private static final int MAX_WARMUP_ROUNDS = 4;

  private final TestCluster cluster;
  private final int actions;
  private final int keys;
  private final int rate;
  private final int latencySeconds;
  /** --transaction-actions values of the reduce phase, in order; empty for the reducer's default. */
  private final List<String> sizes;
  /** --transaction-actions of the reducer started next, or empty for the reducer's default. */
  private String transactionActions;
  private final StringBuilder report = new StringBuilder();
  private CpuMeter cpu;

  private ReducerBenchmark(TestCluster cluster, int actions, int keys, int rate, int latencySeconds,
      List<String> sizes) {
    this.cluster = cluster;
    this.actions = actions;
    this.keys = keys;
    this.rate = rate;
    this.latencySeconds = latencySeconds;
    this.sizes = sizes;
    this.transactionActions = sizes.isEmpty() ? "" : sizes.get(0);
  }

  /**
   * Optional arguments: actions, keys, offered rate, latency seconds (defaults 300,000 30,000 5,000 15), and
   * --transaction-actions: one value, or several separated by commas for a sweep (the reduce phase once per value,
   * back to back; the latency phase with the first).
   */
  public static void main(String[] args) throws Exception {
    int actions = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    List<String> sizes = args.length > 4
        ? Arrays.stream(args[4].split(",")).map(n -> Integer.toString(Integer.parseInt(n.trim()))).toList()
        : List.of();
    long started = System.nanoTime();
    // A broker with both JIT compilers, as in production: the warm-up rounds (a minute or more) compile its paths too,
    // so the measured phases see a warm broker, not the tests' C1-only one (docs/benchmarks.md, "Reducer").
    System.setProperty(KafkaBroker.FULL_JIT_PROPERTY, "true");
    try (TestCluster cluster = new TestCluster()) {
      ReducerBenchmark benchmark = new ReducerBenchmark(cluster, actions, keys, rate, seconds, sizes);
      benchmark.run();
      benchmark.line("total run time: %.0f s", (System.nanoTime() - started) / 1e9);
      BenchmarkDoc.writeResults(Path.of("docs/benchmarks.md"), "reducer-benchmark",
          "scripts/benchmark-reducer.sh " + String.join(" ", args), "Reducer", benchmark.report.toString());
    }
    System.exit(0);
  }

  private void run() throws Exception {
    line("machine: %d cores, Java %s, Kafka %s, %s; load average at start: %s",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), AppInfoParser.getVersion(),
        scalar("SELECT version()").replaceAll(" on .*", ""), loadAverage());
    cpu = new CpuMeter("reducer JVM", CpuMeter.postmaster(scalar("SHOW data_directory")));
    line("settings: %d partitions, %,d actions over %,d keys, --max-records 2000, --transaction-actions %s, state "
        + "machine OPEN -touch-> OPEN", PARTITIONS, actions, keys,
        transactionActions.isEmpty() ? ReducerOptions.OPTIONS.options().stream()
            .filter(o -> o.flag().equals("--transaction-actions")).findFirst().orElseThrow().defaultValue()
            : String.join(", ", sizes));

    int baselineActions = Math.max(1000, actions / 10);
    double loop = perActionLoop(baselineActions);
    vacuum("bench_loop");
    line("per-action loop (one transaction per action: dedup check, read, commit, history, outbox row, dedup row): "
        + "%,.0f actions/s over %,d actions", loop, baselineActions);

    // Rounds of as many actions as the measured phase (see WARM_JIT_US_PER_ACTION): a reducer that has run for a
    // while has compiled its per-batch code, which a few hundred transactions do not reach (a fifth of the actions
    // left half the measured phase's JVM CPU to the JIT compilers).
    Drain cold = drain("warmup", actions);
    vacuum(cold.kit().schema);
    line("warm-up, fresh JVM: %,.0f actions/s (%,d actions); the JVM's CPU per action includes %.1f us of its JIT "
        + "compiler threads", cold.rate(), cold.actions(), cold.jitUs());
    Drain warming = cold;
    for (int round = 2; round <= MAX_WARMUP_ROUNDS && warming.jitUs() >= WARM_JIT_US_PER_ACTION; round++) {
      warming = drain("warmup" + round, actions);
      vacuum(warming.kit().schema);
      line("warm-up round %d: %,.0f actions/s; %.1f us of JIT compiler threads per action", round, warming.rate(),
          warming.jitUs());
    }
    Drain drain = drain("drain", actions);
    vacuum(drain.kit().schema);
    line("reduce, produced -> state-committed published: %,.0f actions/s (%,d actions in %.2f s); commit p95 "
        + "%.1f ms, mean %.1f actions per transaction", drain.rate(), drain.actions(), drain.seconds(),
        drain.commitP95Ms(), drain.meanBatch());
    line("reduce CPU: %s; the JVM's includes %.1f of its JIT compiler threads", drain.cpu(), drain.jitUs());
    line("ratio reduce / per-action loop: %.1fx", drain.rate() / loop);
    // A sweep: the same phase with each further size, in the same run, so the figures compare.
    for (String size : sizes.subList(Math.min(1, sizes.size()), sizes.size())) {
      transactionActions = size;
      Drain other = drain("drain-" + size, actions);
      vacuum(other.kit().schema);
      line("reduce at --transaction-actions %s: %,.0f actions/s, %.1fx the per-action loop; commit p95 %.1f ms, "
          + "mean %.1f actions per transaction", size, other.rate(), other.rate() / loop, other.commitP95Ms(),
          other.meanBatch());
    }
    transactionActions = sizes.isEmpty() ? "" : sizes.get(0);

    if (latencySeconds > 0) {
      warmMaterializer(cold.kit());
      cluster.execute("VACUUM ANALYZE " + cold.kit().schema + ".workflow_projection_warm");
      cluster.execute("CHECKPOINT");
      Stamps stamps = new Stamps(rate * (LATENCY_WARMUP_SECONDS + latencySeconds));
      double[] latency = latency(stamps);
      line("action -> projection row visible at %,.0f actions/s offered, materializer running, after a %d s "
          + "warm-up (%,.0f actions): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; JIT compiler threads "
          + "%,.0f ms of CPU while they were sent", latency[0], LATENCY_WARMUP_SECONDS, latency[1], latency[2],
          latency[3], latency[4], latency[5], latency[6]);
      stamps.report();
    }
    line("load average at end: %s", loadAverage());
  }

  /**
   * Vacuums a finished phase's tables at once, as the materializer benchmark does: otherwise autovacuum works through
   * their hundreds of thousands of new rows during a later phase, on the cores that phase measures.
   */
  private void vacuum(String schema) {
    for (String table : List.of("workflow_state", "workflow_state_history", "action_dedup_log", "reducer_outbox")) {
      cluster.execute("VACUUM ANALYZE " + schema + "." + table);
    }
  }

  private record Drain(ReducerTestKit kit, long actions, double seconds, double commitP95Ms, double meanBatch,
      String cpu, double jitUs) {
    double rate() {
      return actions / seconds;
    }
  }

  /** Prefills an actions topic, then times a new reducer from its first commit to the last row published. */
  private Drain drain(String name, int count) throws Exception {
    ReducerTestKit kit = kit("bench-" + name);
    prefill(kit.actions, count, "a");
    Map<String, String> env = kit.env();
    env.put("REDUCER_STATE_MACHINE", LOOPING);
    env.put("REDUCER_MAX_RECORDS", "2000");
    transactionActions(env);
    cluster.execute("CHECKPOINT");
    try (Connection connection = cluster.postgres.connect();
        PreparedStatement cursor = connection.prepareStatement("SELECT h.last_sequence, c.next_sequence - 1 FROM "
            + kit.schema + ".reducer_outbox_head h, " + kit.schema + ".reducer_outbox_cursor c");
        InProcessReducer reducer = new InProcessReducer(env, name)) {
      long first = 0;
      long firstPublished = 0;
      Map<String, Map<Long, Long>> cpuAtFirst = null;
      Map<String, Long> jitAtFirst = Map.of();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (true) {
        long now = System.nanoTime();
        long committed;
        long published;
        try (ResultSet row = cursor.executeQuery()) {
          row.next();
          committed = row.getLong(1);
          published = row.getLong(2);
        }
        if (first == 0 && committed > 0) {
          first = now;
          firstPublished = published;
          cpuAtFirst = cpu.snapshot();
          jitAtFirst = jitTicks();
        }
        if (published >= count) {
          String perAction = CpuMeter.perEvent(cpuAtFirst, cpu.snapshot(), count - firstPublished);
          double jit = ticksSince(jitAtFirst, jitTicks()) * 1e6 / 100 / (count - firstPublished);
          ReducerMetrics metrics = reducer.process.metrics();
          double transactions = sample(metrics.scrape(), "canonical_store_commit_latency_ms_count");
          check(kit, count);
          return new Drain(kit, count - firstPublished, (now - first) / 1e9, metrics.commitP95Ms(),
              count / transactions, perAction, jit);
        }
        if (now > deadline) {
          throw new IllegalStateException("reducer did not publish " + count + " actions: " + published);
        }
        Thread.sleep(5);
      }
    }
  }

  /**
   * Materializes the warm-up's state-committed events into a table of their own, so that the latency phase's
   * materializer runs compiled code as a long-running one does, and reports how long it took and the JIT's share.
   */
  private void warmMaterializer(ReducerTestKit warm) throws Exception {
    long events = cluster.logEnd(warm.stateCommitted, PARTITIONS).values().stream().mapToLong(Long::longValue).sum();
    Map<String, String> env = cluster.env(warm.stateCommitted, "bench_warm", "workflow_projection_warm");
    env.put("MATERIALIZER_DLQ_TOPIC", warm.dlq);
    env.put("MATERIALIZER_SCHEMA", warm.schema);
    Connection watermarks = cluster.postgres.connect();
    watermarks.setSchema(warm.schema);
    Map<String, Long> jitBefore = jitTicks();
    long started = System.nanoTime();
    try (InProcessMaterializer materializer = new InProcessMaterializer(env, List.of());
        WatermarkPoller poller = new WatermarkPoller(watermarks, "bench_warm")) {
      long deadline = started + Duration.ofMinutes(5).toNanos();
      while (poller.poll() < events) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the warm-up materializer did not catch up with " + events + " events");
        }
        Thread.sleep(20);
      }
    }
    line("materializer warm-up: the warm-up's %,d state-committed events in %.1f s; %.1f us per event of JIT "
        + "compiler threads", events, (System.nanoTime() - started) / 1e9,
        ticksSince(jitBefore, jitTicks()) * 1e6 / 100 / Math.max(1, events));
  }

  /**
   * The runbooks' service: one transaction per action with the same tables, indexes and statements shapes, rows
   * one at a time. Consumes the same kind of prefilled topic; the figure is committed actions per second.
   */
  private double perActionLoop(int count) throws Exception {
    ReducerTestKit kit = kit("bench-loop");
    prefill(kit.actions, count, "l");
    try (Connection connection = cluster.postgres.connect()) {
      connection.setAutoCommit(false);
      CanonicalSchema.create(connection, kit.schema);
    }
    cluster.execute("CHECKPOINT");
    String s = kit.schema + ".";
    StateMachineReducer reducer = new StateMachineReducer(StateMachine.parse(LOOPING));
    ActionDecoder decoder = new ActionDecoder();
    Map<String, Object> properties = cluster.broker.clientProperties();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-loop");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer()); Connection db = cluster.postgres.connect();
        PreparedStatement dedup = db.prepareStatement("SELECT 1 FROM " + s + "action_dedup_log WHERE action_id = ?");
        PreparedStatement read = db.prepareStatement("SELECT version, state, namespace, tag, last_action FROM " + s
            + "workflow_state WHERE workflow_key = ?");
        PreparedStatement update = db.prepareStatement("UPDATE " + s + "workflow_state SET version = ?, state = ?, "
            + "last_action = ?, correlation_id = ?, provenance = jsonb_build_object('action_id', ?::text), "
            + "updated_at = now() WHERE workflow_key = ? AND version = ?");
        PreparedStatement insert = db.prepareStatement("INSERT INTO " + s + "workflow_state (workflow_key, version, "
            + "state, last_action, correlation_id, provenance) VALUES (?, 1, ?, ?, ?, jsonb_build_object('action_id', "
            + "?::text)) ON CONFLICT DO NOTHING");
        PreparedStatement history = db.prepareStatement("INSERT INTO " + s + "workflow_state_history (workflow_key, "
            + "version, event_type, state, previous_state, trigger, action_id, correlation_id, provenance) VALUES "
            + "(?, ?, 'STATE_COMMITTED', ?, ?, ?, ?, ?, jsonb_build_object('action_id', ?::text))");
        PreparedStatement sequence = db.prepareStatement("UPDATE " + s + "reducer_outbox_head SET last_sequence = "
            + "last_sequence + 1 WHERE id = 1 RETURNING last_sequence");
        PreparedStatement outbox = db.prepareStatement("INSERT INTO " + s + "reducer_outbox (sequence, workflow_key, "
            + "version, state, last_action, correlation_id, committed_at) VALUES (?, ?, ?, ?, ?, ?, now())");
        PreparedStatement remember = db.prepareStatement("INSERT INTO " + s + "action_dedup_log (action_id, "
            + "workflow_key, outcome, expires_at) VALUES (?, ?, 'APPLIED', now() + interval '1 day')")) {
      db.setAutoCommit(false);
      consumer.subscribe(List.of(kit.actions));
      long done = 0;
      long first = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (done < count) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("per-action loop did not finish: " + done + " of " + count);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (first == 0) {
            first = System.nanoTime();
          }
          Action action = decoder.decode(record).action();
          dedup.setString(1, action.actionId());
          try (ResultSet seen = dedup.executeQuery()) {
            if (seen.next()) {
              db.rollback();
              continue;
            }
          }
          read.setString(1, action.workflowKey());
          WorkflowState current = null;
          try (ResultSet row = read.executeQuery()) {
            if (row.next()) {
              current = new WorkflowState(action.workflowKey(), row.getLong(1), row.getString(2), row.getString(3),
                  row.getString(4), row.getString(5));
            }
          }
          Reduction.Applied next = (Reduction.Applied) reducer.reduce(current, action);
          long version = current == null ? 1 : current.version() + 1;
          int written;
          if (current == null) {
            insert.setString(1, action.workflowKey());
            insert.setString(2, next.state());
            insert.setString(3, action.action());
            insert.setString(4, action.correlationId());
            insert.setString(5, action.actionId());
            written = insert.executeUpdate();
          } else {
            update.setLong(1, version);
            update.setString(2, next.state());
            update.setString(3, action.action());
            update.setString(4, action.correlationId());
            update.setString(5, action.actionId());
            update.setString(6, action.workflowKey());
            update.setLong(7, current.version());
            written = update.executeUpdate();
          }
          if (written != 1) {
            throw new IllegalStateException("conflict in a single-writer loop");
          }
          history.setString(1, action.workflowKey());
          history.setLong(2, version);
          history.setString(3, next.state());
          history.setString(4, current == null ? null : current.state());
          history.setString(5, action.action());
          history.setString(6, action.actionId());
          history.setString(7, action.correlationId());
          history.setString(8, action.actionId());
          history.executeUpdate();
          long seq;
          try (ResultSet taken = sequence.executeQuery()) {
            taken.next();
            seq = taken.getLong(1);
          }
          outbox.setLong(1, seq);
          outbox.setString(2, action.workflowKey());
          outbox.setLong(3, version);
          outbox.setString(4, next.state());
          outbox.setString(5, action.action());
          outbox.setString(6, action.correlationId());
          outbox.executeUpdate();
          remember.setString(1, action.actionId());
          remember.setString(2, action.workflowKey());
          remember.executeUpdate();
          db.commit();
          done++;
        }
        consumer.commitSync();
      }
      double seconds = (System.nanoTime() - first) / 1e9;
      check(kit, count);
      return count / seconds;
    }
  }

  /**
   * Paced actions, each a new workflow, with a reducer and a materializer running. A consumer of state-committed
   * notes the partition and offset of each action's event, and a watermark poller (every 2 ms) when the
   * materializer's watermark first covered it: the row commits in the same transaction as the watermark, so that
   * is when it became visible. Polling 12 watermark rows costs the database next to nothing; polling the table
   * itself did not. Returns offered rate, measured actions, p50, p95, p99, max ms.
   */
  private double[] latency(Stamps stamps) throws Exception {
    // The broker stamps each action with its append time: the breakdown's split between the send and the poll.
    ReducerTestKit kit = new ReducerTestKit(cluster, "bench-latency", PARTITIONS,
        Map.of("message.timestamp.type", "LogAppendTime"));
    Map<String, String> env = kit.env();
    env.put("REDUCER_STATE_MACHINE", LOOPING);
    transactionActions(env);
    Map<String, String> materializerEnv = cluster.env(kit.stateCommitted, "bench_latency", "workflow_projection");
    materializerEnv.put("MATERIALIZER_DLQ_TOPIC", kit.dlq);
    materializerEnv.put("MATERIALIZER_SCHEMA", kit.schema);
    int total = rate * (LATENCY_WARMUP_SECONDS + latencySeconds);
    long[] sentAt = new long[total];
    int[] partitionOf = new int[total];
    long[] offsetOf = new long[total];
    Connection watermarks = cluster.postgres.connect();
    watermarks.setSchema(kit.schema);
    Map<String, Object> properties = cluster.broker.clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // The events are mapped to actions after the run, so this consumer can fetch in large rounds: the measuring
    // instrument should not add a fetch per produce batch to the broker's work.
    properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1 << 20);
    properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
    try (InProcessReducer reducer = new InProcessReducer(env, "latency", stamps);
        InProcessMaterializer materializer = new InProcessMaterializer(materializerEnv, List.of());
        WatermarkPoller poller = new WatermarkPoller(watermarks, "bench_latency");
        DatabaseActivity activity = new DatabaseActivity(cluster.postgres.connect());
        KafkaConsumer<byte[], byte[]> events = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        all.add(new TopicPartition(kit.stateCommitted, p));
      }
      events.assign(all);
      events.seekToBeginning(all);
      while (poller.partitions() < PARTITIONS) {
        poller.poll();
        Thread.sleep(20);
      }
      // A pipeline that has run for a while: its tables hold rows and have statistics, as in production.
      String q = kit.schema + ".";
      cluster.execute("INSERT INTO " + q + "workflow_state (workflow_key, version, state) "
          + "SELECT 'old-' || g, 1, 'OPEN' FROM generate_series(1, 100000) g");
      cluster.execute("INSERT INTO " + q + "workflow_state_history (workflow_key, version, event_type, state) "
          + "SELECT 'old-' || g, 1, 'STATE_COMMITTED', 'OPEN' FROM generate_series(1, 100000) g");
      cluster.execute("INSERT INTO " + q + "action_dedup_log (action_id, workflow_key, outcome, expires_at) "
          + "SELECT 'old-' || g, 'old-' || g, 'APPLIED', now() + interval '1 day' FROM generate_series(1, 100000) g");
      for (String table : List.of("workflow_state", "workflow_state_history", "action_dedup_log", "reducer_outbox")) {
        cluster.execute("VACUUM ANALYZE " + q + table);
      }
      long[] window = new long[2];
      Thread producer = new Thread(() -> produce(kit.actions, total, sentAt, window), "paced-producer");
      producer.start();
      BitSet mapped = new BitSet(total);
      // Counted as events arrive: BitSet.cardinality() over every action, 500 times a second, was this loop's
      // largest cost, on the cores the measured parties share.
      int mappedCount = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(LATENCY_WARMUP_SECONDS + latencySeconds + 120L).toNanos();
      long covered = 0;
      long nextReport = System.nanoTime();
      // The JIT compilers' CPU while the measured actions are sent: from the warm-up's end to the last send.
      @SuppressWarnings("unchecked")
      Map<String, Long>[] jitMeasured = new Map[2];
      // The parties' CPU over the same span: at this rate fixed costs per request and per transaction show.
      @SuppressWarnings("unchecked")
      Map<String, Map<Long, Long>>[] cpuMeasured = new Map[2];
      PreparedStatement outbox = watermarks.prepareStatement("SELECT h.last_sequence, c.next_sequence - 1 FROM "
          + "reducer_outbox_head h, reducer_outbox_cursor c");
      while (mappedCount < total || covered < total) {
        if (System.nanoTime() >= nextReport) {
          // Where the actions are, once a second: a stage that falls behind shows here.
          try (ResultSet row = outbox.executeQuery()) {
            row.next();
            System.out.printf("  latency phase: sent %,d, committed %,d, published %,d, visible %,d%n",
                producedSoFar(sentAt), row.getLong(1), row.getLong(2), covered);
          }
          nextReport += 1_000_000_000L;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + covered + " of " + total + " actions became visible");
        }
        covered = poller.poll();
        for (ConsumerRecord<byte[], byte[]> event : events.poll(Duration.ZERO)) {
          int i = Integer.parseInt(new String(event.key(), StandardCharsets.UTF_8).substring(4));
          partitionOf[i] = event.partition();
          offsetOf[i] = event.offset();
          if (!mapped.get(i)) {
            mapped.set(i);
            mappedCount++;
          }
        }
        if (jitMeasured[0] == null && window[0] != 0
            && System.nanoTime() - window[0] >= LATENCY_WARMUP_SECONDS * 1_000_000_000L) {
          jitMeasured[0] = jitTicks();
          cpuMeasured[0] = cpu.snapshot();
        }
        if (jitMeasured[1] == null && window[1] != 0) {
          jitMeasured[1] = jitTicks();
          cpuMeasured[1] = cpu.snapshot();
        }
        LockSupport.parkNanos(2_000_000);
      }
      producer.join();
      printClientRequestRates();
      if (cpuMeasured[0] != null && cpuMeasured[1] != null) {
        line("latency phase CPU while the measured actions were sent (the JVM's: reducer, materializer and this "
            + "benchmark's clients): %s",
            CpuMeter.perEvent(cpuMeasured[0], cpuMeasured[1], (long) rate * latencySeconds));
      }
      stamps.stalls.database(activity.intervals());
      Map<Integer, List<WatermarkPoller.Visible>> byPartition = new HashMap<>();
      poller.visible().forEach(v -> byPartition.computeIfAbsent(v.partition(), p -> new ArrayList<>()).add(v));
      long[] lags = new long[total];
      int n = 0;
      for (int i = 0; i < total; i++) {
        if (sentAt[i] - window[0] >= LATENCY_WARMUP_SECONDS * 1_000_000_000L) {
          lags[n++] = visibleAt(byPartition.get(partitionOf[i]), partitionOf[i], offsetOf[i]) - sentAt[i];
        }
      }
      stamps.phaseStart = window[0];
      for (int i = 0; i < total; i++) {
        stamps.sent[i] = sentAt[i];
        stamps.visible[i] = visibleAt(byPartition.get(partitionOf[i]), partitionOf[i], offsetOf[i]);
        stamps.measured[i] = sentAt[i] - window[0] >= LATENCY_WARMUP_SECONDS * 1_000_000_000L;
      }
      Arrays.sort(lags, 0, n);
      double offered = total / ((window[1] - window[0]) / 1e9);
      double jitMs = jitMeasured[0] == null || jitMeasured[1] == null ? Double.NaN
          : ticksSince(jitMeasured[0], jitMeasured[1]) * 10.0;
      return new double[] {offered, n, millis(lags, n, 0.50), millis(lags, n, 0.95), millis(lags, n, 0.99),
          lags[n - 1] / 1e6, jitMs};
    }
  }

  /**
   * Console only: the requests per second each Kafka client of this JVM sent the broker over its metrics' last 30 s or
   * so, the broker's work at a low rate being more per request than per record.
   */
  private static void printClientRequestRates() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    StringBuilder text = new StringBuilder("  Kafka requests per second by client (all requests; of them fetches):");
    try {
      for (String type : List.of("kafka.producer:type=producer-metrics,*", "kafka.consumer:type=consumer-metrics,*")) {
        for (ObjectName name : server.queryNames(new ObjectName(type), null)) {
          String client = name.getKeyProperty("client-id");
          double requests = ((Number) server.getAttribute(name, "request-rate")).doubleValue();
          text.append(String.format(" %s %.0f", client, requests));
          if (type.startsWith("kafka.consumer")) {
            ObjectName fetches = new ObjectName(
                "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=" + client);
            text.append(String.format(" (%.0f)", ((Number) server.getAttribute(fetches, "fetch-rate")).doubleValue()));
          }
          text.append(';');
        }
      }
    } catch (JMException e) {
      text.append(" not available: ").append(e);
    }
    System.out.println(text);
  }

  /**
   * The latency breakdown: the reducer's probe stamps (System.nanoTime, the clock of the producer's stamps) of each
   * latency-phase action, by its number, and the segments of its time they give; the loop's steps, the maintenance
   * work and the publishes also go to the log of the loop's stalls. Written by the reducer's threads, read once the
   * reducer has stopped.
   */
  private final class Stamps implements ReducerProbe {

    final long[] sent;
    final long[] pollStarted;
    final long[] polled;
    /** When the broker appended the action (its LogAppendTime, to the millisecond), on the nanoTime clock. */
    final long[] appended;
    private final long wallMinusNano;
    final long[] started;
    final long[] committed;
    final long[] read;
    final long[] acknowledged;
    final long[] visible;
    final boolean[] measured;
    final LoopStalls stalls = new LoopStalls();
    long phaseStart;
    long transactions;
    long transactionActions;
    long publishes;
    long publishedRows;

    Stamps(int total) {
      sent = new long[total];
      pollStarted = new long[total];
      polled = new long[total];
      appended = new long[total];
      Instant now = Instant.now();
      wallMinusNano = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
      started = new long[total];
      committed = new long[total];
      read = new long[total];
      acknowledged = new long[total];
      visible = new long[total];
      measured = new boolean[total];
    }

    @Override
    public void polled(ConsumerRecords<byte[], byte[]> records, long pollStart, long poll) {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        int i = Integer.parseInt(new String(record.key(), StandardCharsets.UTF_8).substring(4));
        pollStarted[i] = pollStart;
        polled[i] = poll;
        appended[i] = record.timestamp() * 1_000_000L - wallMinusNano;
      }
    }

    @Override
    public void committed(List<PendingAction> actions, long start, long commit) {
      transactions++;
      transactionActions += actions.size();
      for (PendingAction pending : actions) {
        int i = Integer.parseInt(pending.action().actionId().substring(2));
        started[i] = start;
        committed[i] = commit;
      }
    }

    @Override
    public void step(Step step, long from, long to) {
      stalls.step(step, from, to);
    }

    @Override
    public void maintained(String work, long from, long to) {
      stalls.maintained(work, from, to);
    }

    @Override
    public void published(List<OutboxRow> rows, long readStart, long acked) {
      stalls.published(readStart, acked);
      publishes++;
      publishedRows += rows.size();
      for (OutboxRow row : rows) {
        int i = Integer.parseInt(row.workflowKey().substring(4));
        read[i] = readStart;
        acknowledged[i] = acked;
      }
    }

    /** Per segment: p50, p95, and its mean over the slowest 5 % of the actions (what their time went to). */
    void report() {
      String[] names = {"send -> broker append", "append -> the loop polls", "in the poll",
          "waiting for the database worker", "transaction", "commit to relay read", "relay read, send and acks",
          "acks to row visible (materializer)"};
      int n = 0;
      for (boolean m : measured) {
        n += m ? 1 : 0;
      }
      long[][] segments = new long[names.length][n];
      long[] totals = new long[n];
      long[][] waits = new long[n][];
      Map<Long, Long> available = new HashMap<>();
      int k = 0;
      for (int i = 0; i < sent.length; i++) {
        if (pollStarted[i] != 0) {
          available.merge(pollStarted[i], sent[i], Math::min);
        }
        if (!measured[i]) {
          continue;
        }
        // The append time has millisecond resolution: kept between the send and the poll's return.
        long append = Math.min(polled[i], Math.max(sent[i], appended[i]));
        long[] marks = {sent[i], append, Math.min(polled[i], Math.max(append, pollStarted[i])), polled[i],
            started[i], committed[i], read[i], acknowledged[i], visible[i]};
        waits[k] = new long[] {sent[i], Math.max(sent[i], pollStarted[i])};
        for (int s = 0; s < names.length; s++) {
          segments[s][k] = marks[s + 1] - marks[s];
        }
        totals[k++] = visible[i] - sent[i];
      }
      long[] sortedTotals = totals.clone();
      Arrays.sort(sortedTotals);
      long slow = sortedTotals[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)];
      List<long[]> slowWaits = new ArrayList<>();
      TreeMap<Long, long[]> slowByQuarter = new TreeMap<>();
      for (int j = 0; j < n; j++) {
        if (totals[j] >= slow) {
          slowWaits.add(waits[j]);
          long[] bucket = slowByQuarter.computeIfAbsent((waits[j][0] - phaseStart) / 250_000_000L, b -> new long[2]);
          bucket[0]++;
          bucket[1] = Math.max(bucket[1], totals[j]);
        }
      }
      // Console only: whether the slowest 5 % cluster around a few events or spread over the window.
      StringBuilder timeline = new StringBuilder("  the slowest 5 % by when sent (ms since the producer started: "
          + "actions, slowest ms):");
      slowByQuarter.forEach((bucket, counts) -> timeline.append(String.format(" %,d: %d (%.0f);", bucket * 250,
          counts[0], counts[1] / 1e6)));
      System.out.println(timeline);
      StringBuilder text = new StringBuilder("latency breakdown, ms (p50 / p95 / mean of the slowest 5 %):");
      for (int s = 0; s < names.length; s++) {
        long sum = 0;
        int count = 0;
        for (int j = 0; j < n; j++) {
          if (totals[j] >= slow) {
            sum += segments[s][j];
            count++;
          }
        }
        long[] sorted = segments[s].clone();
        Arrays.sort(sorted);
        text.append(String.format(" %s %.1f / %.1f / %.1f;", names[s], millis(sorted, n, 0.50),
            millis(sorted, n, 0.95), sum / 1e6 / Math.max(1, count)));
      }
      text.append(String.format(" %.1f actions per transaction, %.1f rows per publish", (double) transactionActions
          / Math.max(1, transactions), (double) publishedRows / Math.max(1, publishes)));
      line("%s", text);
      for (String stallLine : stalls.report(phaseStart, available, slowWaits)) {
        line("%s", stallLine);
      }
    }
  }

  /**
   * CPU ticks of each of this JVM's JIT compiler threads (C1, C2) so far, by thread id: a share of the JVM's CPU
   * that a reducer running for hours no longer pays, and that the warm-up is there to take out of the measured run.
   * A compiler thread that ends in between (the JVM stops idle ones) is missed: the figure is a lower bound.
   */
  private static Map<String, Long> jitTicks() {
    Map<String, Long> ticks = new HashMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
            String stat = Files.readString(task.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.put(task.getFileName().toString(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
          }
        } catch (java.io.IOException | RuntimeException e) {
          // a compiler thread that ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      // not Linux
    }
    return ticks;
  }

  private static long ticksSince(Map<String, Long> before, Map<String, Long> after) {
    long ticks = 0;
    for (Map.Entry<String, Long> thread : after.entrySet()) {
      ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
    }
    return ticks;
  }

  private static int producedSoFar(long[] sentAt) {
    int low = 0;
    int high = sentAt.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (sentAt[mid] != 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** When the range holding the offset became visible; ranges of a partition are contiguous and in order. */
  private static long visibleAt(List<WatermarkPoller.Visible> ranges, int partition, long offset) {
    int low = 0;
    int high = ranges.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      WatermarkPoller.Visible range = ranges.get(mid);
      if (offset < range.from()) {
        high = mid - 1;
      } else if (offset >= range.to()) {
        low = mid + 1;
      } else {
        return range.nanos();
      }
    }
    throw new IllegalStateException("offset " + offset + " of partition " + partition + " never became visible");
  }

  private void produce(String topic, int total, long[] sentAt, long[] window) {
    Map<String, Object> properties = cluster.broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    // Kafka's default linger (5 ms), part of each action's latency: with 1 ms this producer sent the broker three
    // times as many requests, on the two cores the measured parties share (docs/benchmarks.md).
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
        new StringSerializer())) {
      long start = System.nanoTime();
      window[0] = start;
      int sent = 0;
      while (sent < total) {
        long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
        while (sent < due) {
          String key = String.format("lat-%d", sent);
          sentAt[sent] = System.nanoTime();
          producer.send(new ProducerRecord<>(topic, key, ReducerTestKit.action("l-" + sent, key, "touch", "c")));
          sent++;
        }
        LockSupport.parkNanos(200_000);
      }
      window[1] = System.nanoTime();
      producer.flush();
      producer.metrics().forEach((name, metric) -> {
        if (name.group().equals("producer-metrics") && name.name().equals("request-rate")) {
          System.out.printf("  the actions' producer: %.0f requests per second%n", (Double) metric.metricValue());
        }
      });
    }
  }

  private void prefill(String topic, int count, String prefix) {
    Map<String, Object> properties = cluster.broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    long start = System.nanoTime();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        String key = "wf-" + (i % keys);
        producer.send(new ProducerRecord<>(topic, key, ReducerTestKit.action(prefix + "-" + i, key, "touch",
            "corr-" + i)));
      }
      producer.flush();
    }
    System.out.printf("prefill %s: %,d actions in %.1f s%n", topic, count, (System.nanoTime() - start) / 1e9);
  }

  /** Every action applied once: one row per key, versions summing to the actions, one history row each. */
  private void check(ReducerTestKit kit, int count) {
    long rows = Long.parseLong(scalar("SELECT count(*) FROM " + kit.schema + ".workflow_state"));
    long versions = Long.parseLong(scalar("SELECT coalesce(sum(version), 0) FROM " + kit.schema
        + ".workflow_state"));
    long history = Long.parseLong(scalar("SELECT count(*) FROM " + kit.schema + ".workflow_state_history"));
    if (rows != Math.min(keys, count) || versions != count || history != count) {
      throw new IllegalStateException(kit.schema + ": " + rows + " rows, " + versions + " versions, " + history
          + " history rows for " + count + " actions");
    }
  }

  private void transactionActions(Map<String, String> env) {
    if (!transactionActions.isEmpty()) {
      env.put("REDUCER_TRANSACTION_ACTIONS", transactionActions);
    }
  }

  private ReducerTestKit kit(String name) {
    return new ReducerTestKit(cluster, name, PARTITIONS);
  }

  private void line(String format, Object... args) {
    String text = String.format(format, args);
    System.out.println(text);
    report.append(text).append('\n');
  }

  private String scalar(String sql) {
    try (Connection connection = cluster.postgres.connect(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static double sample(String scrape, String name) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new IllegalStateException("no sample " + name);
  }

  private static double millis(long[] sorted, int n, double quantile) {
    return sorted[Math.min(n - 1, (int) Math.ceil(quantile * n) - 1)] / 1e6;
  }
}
