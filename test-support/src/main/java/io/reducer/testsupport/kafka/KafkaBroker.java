package io.reducer.testsupport.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import io.reducer.testsupport.internal.ChildJvm;
import io.reducer.testsupport.internal.FreePorts;
import io.reducer.testsupport.internal.LogTail;
import io.reducer.testsupport.internal.TempDirs;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in its own JVM, so a test can stop it
 * gracefully, kill it with SIGKILL, and start it again on the same ports and the same data.
 *
 * <p>Storage is formatted once, by {@code kafka.tools.StorageTool} in a short-lived child JVM; the broker is
 * {@code kafka.Kafka}, entered through {@link BrokerMain}. "Ready" means clients can produce: the broker is
 * unfenced and every partition, internal ones included, has a leader. Internal topics have one replica, so
 * transactions and consumer groups work on this single node.
 *
 * <p>The child JVM runs on the test JVM's classpath and {@code java}. Ports on 127.0.0.1 and the data directory are
 * fixed when the broker is created and kept until {@link #close()}, which kills the broker and deletes its data. A
 * JVM shutdown hook does the same if a test forgets to close, and the child ends itself if the test JVM vanishes.
 *
 * <p>The client listener is PLAINTEXT, or with {@link #startWithSaslPlain} SASL_PLAINTEXT with mechanism PLAIN and one
 * user; {@link #clientProperties()}, {@link #admin()} and the topic helpers log in as that user. The controller
 * listener is always PLAINTEXT.
 *
 * <p>Logs are in the broker's directory: {@code console.log} (stdout and stderr, which is where slf4j-simple writes)
 * and {@code broker.log} (used when the classpath binds slf4j to log4j2). Startup failures quote their tails.
 */
public final class KafkaBroker implements AutoCloseable {

  /**
   * System property: {@code true} runs the broker with both JIT compilers, as Kafka's own start scripts do. Without
   * it the broker stops at C1, which starts faster and is enough for a test. A benchmark that warms up for long
   * enough sets it: a warm C1-only broker takes more CPU and time per request than a production broker.
   */
  public static final String FULL_JIT_PROPERTY = "reducer.testsupport.kafka.fullJit";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  /** Commit markers are written moments after a commit; a transaction still open after this was left open. */
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 60;

  private final Path directory;
  private final Path consoleLog;
  private final Path brokerLog;
  private final Path serverProperties;
  private final int brokerPort;
  private final SaslPlainLogin sasl;
  private final String clusterId = Uuid.randomUuid().toString();
  private final ChildJvm jvm;
  private final Thread shutdownHook = new Thread(this::destroyAndDelete, "kafka-broker-cleanup");

  private volatile Process process;
  private boolean formatted;
  private boolean closed;

  private KafkaBroker(SaslPlainLogin sasl, Map<String, String> configOverrides) {
    this.sasl = sasl;
    directory = TempDirs.create("kafka-broker-");
    consoleLog = directory.resolve("console.log");
    brokerLog = directory.resolve("broker.log");
    serverProperties = directory.resolve("server.properties");
    int[] ports = FreePorts.pick(2);
    brokerPort = ports[0];
    try {
      Path tmp = Files.createDirectories(directory.resolve("tmp"));
      Path log4j = directory.resolve("log4j2.properties");
      writeProperties(serverProperties,
          BrokerConfig.of(brokerPort, ports[1], directory.resolve("data"), sasl, configOverrides));
      Files.writeString(log4j, log4jConfig(brokerLog));
      jvm = new ChildJvm(directory.resolve("jvm.args"), jvmOptions(tmp, log4j));
    } catch (IOException | RuntimeException e) {
      TempDirs.deleteQuietly(directory);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Formats storage and starts a new broker; blocks until clients can produce to it. */
  public static KafkaBroker start() {
    return start(Map.of());
  }

  /** Like {@link #start()}, with extra or replaced server.properties entries. */
  public static KafkaBroker start(Map<String, String> brokerConfigOverrides) {
    return start(null, brokerConfigOverrides);
  }

  /**
   * Like {@link #start()}, but clients must log in: the client listener is SASL_PLAINTEXT, mechanism PLAIN, and
   * {@code username} with {@code password} is its only user. {@link #clientProperties()} logs in as that user; a
   * client that wants to fail starts from {@link #bootstrapServers()} with its own settings.
   *
   * @param username letters, digits, '.', '_' or '-' (it becomes part of a JAAS option name)
   */
  public static KafkaBroker startWithSaslPlain(String username, String password) {
    return start(new SaslPlainLogin(username, password), Map.of());
  }

  private static KafkaBroker start(SaslPlainLogin sasl, Map<String, String> brokerConfigOverrides) {
    KafkaBroker broker = new KafkaBroker(sasl, brokerConfigOverrides);
    try {
      broker.restart();
    } catch (RuntimeException | Error e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /** {@code host:port} of the client listener (PLAINTEXT or SASL_PLAINTEXT); the same across restarts. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /**
   * A fresh, mutable map with {@code bootstrap.servers} set, and the SASL login of a {@link #startWithSaslPlain}
   * broker, to which a test adds its client settings.
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    if (sasl != null) {
      properties.putAll(sasl.clientProperties());
    }
    return properties;
  }

  /** A new Admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(clientProperties());
  }

  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /** Creates a topic (replication factor 1) and waits until every partition has a leader. */
  public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
    try (Admin admin = admin()) {
      NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfig);
      admin.createTopics(List.of(topic)).all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
      while (!BrokerReadiness.allHaveLeaders(admin, List.of(name))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + name + " has partitions without a leader");
        }
        Thread.sleep(50);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topic " + name, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    }
  }

  /**
   * Waits until no transaction is open or ending on any partition of {@code topic}: each partition's last stable
   * offset is its log end. A transactional producer's commit returns before the broker has written the commit
   * markers into the partitions, so right after a process exits, its last transaction may not be readable
   * read_committed yet.
   */
  public void awaitNoOpenTransaction(String topic) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic).partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      long deadline = System.nanoTime() + TRANSACTION_TIMEOUT.toNanos();
      while (true) {
        Map<TopicPartition, Long> stable = ends(admin, latest, IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> logEnd = ends(admin, latest, IsolationLevel.READ_UNCOMMITTED);
        if (stable.equals(logEnd)) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a transaction stays open on " + topic + ": last stable offsets " + stable
              + ", log ends " + logEnd);
        }
        Thread.sleep(10);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not list the offsets of " + topic, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out listing the offsets of " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the transactions on " + topic, e);
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, Map<TopicPartition, OffsetSpec> latest,
      IsolationLevel isolation) throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all()
        .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Starts the broker again on the same ports and data, after {@link #stop()} or {@link #kill()}; a running
   * broker is stopped first. Blocks until clients can produce.
   */
  public synchronized void restart() {
    ensureOpen();
    stop();
    try {
      if (!formatted) {
        format();
        formatted = true;
      }
      process = jvm.launch(BrokerMain.class.getName(), List.of(serverProperties.toString()), consoleLog);
    } catch (IOException e) {
      throw new UncheckedIOException("could not launch the broker JVM", e);
    }
    awaitReady();
  }

  /** Graceful shutdown (SIGTERM, Kafka's controlled shutdown); waits for the process to exit. */
  public synchronized void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    if (!waitFor(p, STOP_TIMEOUT)) {
      p.destroyForcibly();
      waitFor(p, KILL_TIMEOUT);
    }
  }

  /** Crash: SIGKILL, no shutdown of any kind; waits until the process is gone and its ports are free. */
  public synchronized void kill() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroyForcibly();
    if (!waitFor(p, KILL_TIMEOUT)) {
      throw new IllegalStateException("broker process " + p.pid() + " survived SIGKILL");
    }
  }

  /** Kills the broker if it runs and deletes its data and logs. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    destroyAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run; nothing left to undo
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrapServers() + (sasl == null ? "" : " " + SaslPlainLogin.LISTENER) + ", "
        + directory + "]";
  }

  private void format() throws IOException {
    Process p = jvm.launch("kafka.tools.StorageTool",
        List.of("format", "--cluster-id", clusterId, "--config", serverProperties.toString()), consoleLog);
    if (!waitFor(p, FORMAT_TIMEOUT)) {
      p.destroyForcibly();
      throw failure("formatting the broker storage timed out");
    }
    if (p.exitValue() != 0) {
      throw failure("formatting the broker storage failed with exit code " + p.exitValue());
    }
  }

  private void awaitReady() {
    Map<String, Object> properties = clientProperties();
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
    properties.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
    properties.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 250);
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    Admin admin = Admin.create(properties);
    try {
      while (!BrokerReadiness.isReady(admin)) {
        Process p = process;
        if (!p.isAlive()) {
          throw failure("the broker exited with code " + p.exitValue() + " during startup");
        }
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw failure("the broker was not ready within " + STARTUP_TIMEOUT.toSeconds() + " s");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }

  /** Unsynchronized: it also runs as the shutdown hook, which must not wait for a test thread's lock. */
  private void destroyAndDelete() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      waitFor(p, KILL_TIMEOUT);
    }
    TempDirs.deleteQuietly(directory);
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(message + LogTail.of(consoleLog, LOG_TAIL_LINES)
        + LogTail.of(brokerLog, LOG_TAIL_LINES));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private List<String> jvmOptions(Path tmp, Path log4j) {
    return List.of(
        // Small and quick to start: a test broker holds little data and lives for seconds to minutes.
        "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
        Boolean.getBoolean(FULL_JIT_PROPERTY) ? "-XX:+TieredCompilation" : "-XX:TieredStopAtLevel=1",
        "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
        "-Djava.io.tmpdir=" + tmp,
        "-Dlog4j2.configurationFile=" + log4j,
        // The child also sees the test classpath's simplelogger.properties, which may quiet Kafka for the
        // tests' own clients; system properties win over it.
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
        "-Dorg.slf4j.simpleLogger.log.kafka=info",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-D" + BrokerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid(),
        "-D" + BrokerMain.CLEANUP_DIR_PROPERTY + "=" + directory);
  }

  private static String log4jConfig(Path file) {
    return String.join("\n",
        "status = error",
        "appender.file.type = File",
        "appender.file.name = file",
        "appender.file.append = true",
        "appender.file.fileName = " + file,
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d{HH:mm:ss.SSS}] %p %m (%c)%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.file.ref = file",
        "");
  }

  private static void writeProperties(Path file, Map<String, String> values) throws IOException {
    Properties properties = new Properties();
    properties.putAll(values);
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, "single-node KRaft test broker");
    }
  }
}
