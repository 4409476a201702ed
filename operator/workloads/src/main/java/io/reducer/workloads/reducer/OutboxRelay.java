package io.reducer.workloads.reducer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.postgres.Database;

/**
 * Publishes reducer_outbox rows to the state-committed topic in sequence order and moves the cursor past them.
 * One process of a pipeline publishes at a time: the one holding a PostgreSQL advisory lock on its own
 * connection, so a crashed leader's lock goes with its connection and another process takes over within a
 * second. A crash between publish and cursor update publishes those rows again (materializers ignore versions
 * they have). A missing sequence number stops the relay at the gap, which is reported and never skipped.
 */
final class OutboxRelay implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 5000;
  /**
   * Publishes sent and not yet acknowledged: the relay sends the next commit's rows while the broker acknowledges
   * the previous ones (the idempotent producer keeps their order), and moves the cursor past all acknowledged ones
   * with one statement.
   */
  private static final int MAX_UNACKED = 4;
  /** Rows handed over and not yet published beyond this are dropped; the relay then reads them from the table. */
  private static final int HANDED_LIMIT = 4 * BATCH;
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration FAILURE_BACKOFF = Duration.ofMillis(500);
  private static final Duration STANDBY_RETRY = Duration.ofSeconds(1);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final String CORRELATION_HEADER = "correlation-id";

  private final ReducerConfig config;
  private final Database connections;
  private final ReducerMetrics metrics;
  private final ReducerProbe probe;
  private final String process;
  private final long lockKey;
  private final String read;
  private final String moveCursor;
  private final String recordGap;
  private final Semaphore wake = new Semaphore(0);
  private final StateCommittedEncoder encoder = new StateCommittedEncoder();
  /** Outbox rows of this process's commits, in sequence order, waiting to be published without a read. */
  private final ArrayDeque<OutboxRow> handed = new ArrayDeque<>();
  private KafkaProducer<String, byte[]> producer;
  private volatile boolean stopping;
  private long reportedGap = -1;
  /** The cursor as this leader last read or moved it; -1 when not known (then the next publish reads it). */
  private long cursor = -1;
  /** The next sequence to send: the cursor plus what is sent and not yet acknowledged; -1 when not known. */
  private long sent = -1;
  /** Publishes sent and not yet past the cursor, oldest first. */
  private final ArrayDeque<Publish> unacked = new ArrayDeque<>();
  /** Whether this process holds the relay's lock; only then does it keep rows handed over. */
  private volatile boolean leader;

  OutboxRelay(ReducerConfig config, Database connections, ReducerMetrics metrics, String process,
      ReducerProbe probe) {
    this.config = config;
    this.connections = connections;
    this.metrics = metrics;
    this.process = process;
    this.probe = probe;
    String schema = config.schema();
    // One relay per canonical store: the lock is keyed by the schema the outbox lives in.
    this.lockKey = 0x726f7574L << 32 | (schema.hashCode() & 0xffffffffL);
    String outbox = CanonicalSchema.table(schema, CanonicalSchema.OUTBOX);
    String cursor = CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_CURSOR);
    // Cursor, head and the rows between them from one statement, so from one snapshot: every sequence up to the
    // head's is committed in it (the head moves in the transaction that writes the rows). The commit time comes as
    // microseconds, which costs less to send and to read than timestamp text.
    read = "SELECT c.next_sequence, h.last_sequence, o.sequence, o.workflow_key, o.version, o.state, o.namespace, "
        + "o.tag, o.last_action, o.correlation_id, (extract(epoch FROM o.committed_at) * 1000000)::bigint FROM "
        + cursor + " c CROSS JOIN " + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_HEAD) + " h "
        + "LEFT JOIN LATERAL (SELECT * FROM " + outbox + " WHERE sequence >= c.next_sequence "
        + "AND sequence <= h.last_sequence ORDER BY sequence LIMIT ?) o ON true WHERE c.id = 1 AND h.id = 1 "
        + "ORDER BY o.sequence";
    moveCursor = "UPDATE " + cursor + " SET next_sequence = ?, published_at = now(), last_committed_at = ?, "
        + "publisher = ?, updated_at = now() WHERE id = 1 AND next_sequence = ?";
    recordGap = "INSERT INTO " + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_GAPS)
        + " (sequence, last_sequence, detected_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
  }

  /**
   * Takes the outbox rows a commit of this process wrote (committed, in sequence order) and wakes the relay: when
   * they follow the cursor, it publishes them without reading them back. Rows of other processes' commits in
   * between are read from the table as before.
   */
  void committed(List<OutboxRow> rows) {
    if (!leader) {
      return;
    }
    synchronized (handed) {
      if (handed.size() + rows.size() > HANDED_LIMIT) {
        handed.clear();
      }
      handed.addAll(rows);
    }
    wake();
  }

  /** Wakes the relay, so it does not wait for its poll interval. */
  private void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  void stop() {
    stopping = true;
    wake.release();
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        Connection connection = connections.connection();
        if (!leader) {
          lead(tryLead(connection));
        }
        // Nothing else runs on this thread (housekeeping has its own, see Maintenance): a publish never waits for a
        // cleanup or an ANALYZE.
        int published = leader ? publishOnce(connection) : 0;
        if (published == 0) {
          wake.tryAcquire(leader ? config.outboxPollMs() : STANDBY_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (SQLException e) {
        connections.discard();
        if (leader) {
          LOG.warn("outbox relay lost its database connection; publishing resumes when it is back: {}", e.toString());
        }
        lead(false);
        pause();
      } catch (KafkaException | PublishException e) {
        forget();
        connections.rollbackQuietly();
        LOG.warn("outbox relay could not publish to {}; retrying from the cursor: {}", config.stateCommittedTopic(),
            e.toString());
        closeProducer();
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("outbox relay failed; retrying", e);
        connections.discard();
        lead(false);
        pause();
      }
    }
    finishInFlight();
    closeProducer();
    connections.close();
  }

  /** On the way out: waits a little for the publishes in flight and moves the cursor past them, so few go twice. */
  private void finishInFlight() {
    if (!leader || unacked.isEmpty()) {
      return;
    }
    try {
      long deadline = System.nanoTime() + STOP_WAIT.toNanos();
      for (Publish publish : unacked) {
        if (!publish.pending.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          break;
        }
      }
      settle(connections.connection());
    } catch (SQLException | PublishException | RuntimeException e) {
      LOG.debug("publishes in flight at stop: {}; the next relay publishes them again", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void lead(boolean won) {
    leader = won;
    metrics.leader(won);
    if (!won) {
      forget();
      synchronized (handed) {
        handed.clear();
      }
    }
  }

  private boolean tryLead(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      lock.setLong(1, lockKey);
      try (ResultSet rows = lock.executeQuery()) {
        rows.next();
        boolean won = rows.getBoolean(1);
        connection.commit();
        if (won) {
          LOG.info("this process is the outbox relay of schema {}: publishing to {}", config.schema(),
              config.stateCommittedTopic());
        }
        return won;
      }
    }
  }

  /**
   * Moves the cursor past the publishes the broker acknowledged, then sends the next contiguous run of rows: those
   * handed over by this process's commits when they follow what was sent, else, once nothing is in flight, those
   * read from the table. Returns how many rows it published or sent.
   */
  int publishOnce(Connection connection) throws SQLException, PublishException, InterruptedException {
    int acknowledged = settle(connection);
    List<OutboxRow> local = unacked.size() < MAX_UNACKED ? takeHanded() : List.of();
    if (!local.isEmpty()) {
      unacked.addLast(send(local, System.nanoTime()));
      sent = local.get(local.size() - 1).sequence() + 1;
      return acknowledged + local.size();
    }
    if (!unacked.isEmpty()) {
      // The last acknowledgement wakes the relay.
      return acknowledged;
    }
    return acknowledged + publishRead(connection);
  }

  /** Moves the cursor, in one statement, past the oldest publishes that the broker acknowledged. */
  private int settle(Connection connection) throws SQLException, PublishException {
    List<Publish> done = new ArrayList<>();
    while (!unacked.isEmpty() && unacked.peekFirst().acknowledged()) {
      Publish publish = unacked.pollFirst();
      publish.requireWritten();
      done.add(publish);
    }
    if (done.isEmpty()) {
      return 0;
    }
    int rows = 0;
    for (Publish publish : done) {
      rows += publish.rows.size();
      if (probe != null) {
        probe.published(publish.rows, publish.started, publish.acknowledgedAt);
      }
    }
    List<OutboxRow> newest = done.get(done.size() - 1).rows;
    if (!moveCursor(connection, cursor, newest.get(newest.size() - 1))) {
      return 0;
    }
    int waiting;
    synchronized (handed) {
      waiting = handed.size();
    }
    metrics.outboxState(waiting, lagMs(done.get(0).rows), 0);
    return rows;
  }

  /** Forgets cursor and publishes in flight: the next publish reads the cursor from the table. */
  private void forget() {
    cursor = -1;
    sent = -1;
    unacked.clear();
  }

  /**
   * The handed-over rows that follow what was sent, up to a batch; none when that is not known or the next
   * sequence is not among them (another process committed it: it is read from the table).
   */
  private List<OutboxRow> takeHanded() {
    List<OutboxRow> rows = new ArrayList<>();
    synchronized (handed) {
      while (!handed.isEmpty() && handed.peekFirst().sequence() < sent) {
        handed.pollFirst();
      }
      if (sent < 0 || handed.isEmpty() || handed.peekFirst().sequence() != sent) {
        return rows;
      }
      while (rows.size() < BATCH && !handed.isEmpty() && handed.peekFirst().sequence() == sent + rows.size()) {
        rows.add(handed.pollFirst());
      }
    }
    return rows;
  }

  private static long lagMs(List<OutboxRow> rows) {
    return rows.isEmpty() ? 0 : Math.max(0, Duration.between(rows.get(0).committedAt(), Instant.now()).toMillis());
  }

  /** Reads cursor, head and the rows after the cursor from the table and publishes the contiguous ones. */
  private int publishRead(Connection connection) throws SQLException, PublishException, InterruptedException {
    long read = System.nanoTime();
    long next = -1;
    long last = -1;
    List<OutboxRow> rows = new ArrayList<>();
    // Reads and the cursor's move are single statements: in autocommit, each is one round trip.
    connection.setAutoCommit(true);
    try (PreparedStatement query = connection.prepareStatement(this.read)) {
      query.setInt(1, BATCH);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          next = result.getLong(1);
          last = result.getLong(2);
          long sequence = result.getLong(3);
          if (!result.wasNull()) {
            long micros = result.getLong(11);
            rows.add(new OutboxRow(sequence, result.getString(4), result.getLong(5), result.getString(6),
                result.getString(7), result.getString(8), result.getString(9), result.getString(10),
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)));
          }
        }
      }
    } finally {
      connection.setAutoCommit(false);
    }
    if (next < 0) {
      throw new SQLException("the outbox cursor or head row is missing; restart the reducer to recreate them");
    }
    long lagMs = lagMs(rows);
    int contiguous = 0;
    while (contiguous < rows.size() && rows.get(contiguous).sequence() == next + contiguous) {
      contiguous++;
    }
    long expected = Math.min(BATCH, last - next + 1);
    boolean gap = last >= next && contiguous < expected;
    List<OutboxRow> publishable = rows.subList(0, contiguous);
    if (!publishable.isEmpty()) {
      Publish publish = send(publishable, read);
      publish.await();
      if (probe != null) {
        probe.published(publishable, read, publish.acknowledgedAt);
      }
      if (!moveCursor(connection, next, publishable.get(publishable.size() - 1))) {
        return 0;
      }
    }
    long newNext = next + contiguous;
    cursor = newNext;
    sent = newNext;
    if (gap) {
      reportGap(connection, newNext, last);
    } else if (reportedGap >= 0) {
      LOG.info("outbox sequence {} appeared; publishing continues", reportedGap);
      reportedGap = -1;
    }
    metrics.outboxState(Math.max(0, last - newNext + 1), lagMs, gap ? 1 : 0);
    return publishable.size();
  }

  /** Moves the cursor from {@code from} past {@code newest}, published; false if it was no longer at {@code from}. */
  private boolean moveCursor(Connection connection, long from, OutboxRow newest) throws SQLException {
    connection.setAutoCommit(true);
    try (PreparedStatement move = connection.prepareStatement(moveCursor)) {
      move.setLong(1, newest.sequence() + 1);
      move.setObject(2, newest.committedAt().atOffset(ZoneOffset.UTC));
      move.setString(3, process);
      move.setLong(4, from);
      if (move.executeUpdate() != 1) {
        LOG.warn("the outbox cursor moved under this relay (another publisher?); reading it again");
        forget();
        return false;
      }
    } finally {
      connection.setAutoCommit(false);
    }
    cursor = newest.sequence() + 1;
    metrics.outboxPublished((int) (newest.sequence() + 1 - from), newest.sequence());
    return true;
  }

  /** Sends the rows without waiting; the returned publish learns of their acknowledgements. */
  private Publish send(List<OutboxRow> rows, long started) {
    KafkaProducer<String, byte[]> kafka = producer();
    Publish publish = new Publish(rows, started);
    for (OutboxRow row : rows) {
      RecordHeaders headers = new RecordHeaders();
      if (row.correlationId() != null) {
        headers.add(CORRELATION_HEADER, row.correlationId().getBytes(StandardCharsets.UTF_8));
      }
      kafka.send(new ProducerRecord<>(config.stateCommittedTopic(), null, row.workflowKey(), encoder.encode(row),
          headers), publish);
    }
    return publish;
  }

  private void reportGap(Connection connection, long sequence, long last) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(recordGap)) {
      insert.setLong(1, sequence);
      insert.setLong(2, last);
      insert.setString(3, process);
      insert.executeUpdate();
    }
    connection.commit();
    if (reportedGap != sequence) {
      reportedGap = sequence;
      LOG.error("OUTBOX GAP: sequence {} is missing while the head is at {}; the relay stops there and publishes "
          + "nothing after it. Do not insert rows by hand: see docs/reducer.md, 'A sequence gap'. Recorded in {}.",
          sequence, last, CanonicalSchema.OUTBOX_GAPS);
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> properties = new HashMap<>(
          config.kafkaSecurity().clientProperties(config.bootstrapServers()));
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
      properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
      properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
      properties.put(ProducerConfig.CLIENT_ID_CONFIG, "reducer-outbox-" + config.pipeline());
      producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the outbox producer: {}", e.toString());
      }
      producer = null;
    }
  }

  private void pause() {
    try {
      wake.tryAcquire(FAILURE_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }

  /**
   * Rows sent in one go and their acknowledgements. The producer runs the callbacks one after the other on its I/O
   * thread; the last one stamps the time and wakes the relay.
   */
  private final class Publish implements Callback {

    final List<OutboxRow> rows;
    final long started;
    private final CountDownLatch pending;
    private volatile Exception failure;
    volatile long acknowledgedAt;

    Publish(List<OutboxRow> rows, long started) {
      this.rows = rows;
      this.started = started;
      this.pending = new CountDownLatch(rows.size());
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception != null && failure == null) {
        failure = exception;
      }
      if (pending.getCount() == 1) {
        acknowledgedAt = System.nanoTime();
      }
      pending.countDown();
      if (pending.getCount() == 0) {
        wake();
      }
    }

    boolean acknowledged() {
      return pending.getCount() == 0;
    }

    /** Waits for every acknowledgement (the producer gives up after its delivery timeout); throws if one failed. */
    void await() throws PublishException, InterruptedException {
      if (!pending.await(ACK_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
        throw new PublishException("no acknowledgement within " + ACK_TIMEOUT.toSeconds() + " s", null);
      }
      requireWritten();
    }

    void requireWritten() throws PublishException {
      if (failure != null) {
        throw new PublishException("the broker refused a state-committed record: " + failure, failure);
      }
    }
  }

  /** The broker did not take a batch; nothing was marked published. */
  static final class PublishException extends Exception {
    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
