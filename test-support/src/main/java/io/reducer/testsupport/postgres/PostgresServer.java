package io.reducer.testsupport.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.reducer.testsupport.internal.FreePorts;
import io.reducer.testsupport.internal.LogTail;
import io.reducer.testsupport.internal.TempDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 server from zonky's embedded binaries (no Docker), with a fixed port and data directory so
 * it can be stopped and started again with its data intact. {@link #close()} stops it and deletes the data.
 *
 * <p><b>Running as root.</b> PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}). zonky
 * handles this itself when the JVM is root: it prefixes every command with {@code unshare -U}, which puts the
 * process in a new user namespace where its uid is the overflow uid 65534, so the root check passes, while the
 * kernel still treats it as the root-owned files' owner. That needs user namespaces, which a container's seccomp
 * profile may forbid; zonky then runs the binaries as root and initdb fails. For that case {@link PrivilegeDrop}
 * hands zonky binaries whose {@code bin/} entries are scripts running the real ones as {@code nobody} via
 * {@code setpriv} (util-linux, present on every Debian), and gives the data directory to {@code nobody}.
 *
 * <p>Authentication is {@code trust} (zonky's initdb setting): the user is {@code postgres} and any password works.
 * The server log is {@code postgres.log} in the server's directory; startup failures quote its tail.
 */
public final class PostgresServer implements AutoCloseable {

  private static final String USER = "postgres";
  private static final String PASSWORD = "postgres";
  private static final String DATABASE = "postgres";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final int LOG_TAIL_LINES = 40;
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
  private static final String ZONKY_LOCK_FILE = "epg-lock";

  private final Path directory;
  private final Path dataDirectory;
  private final Path log;
  private final int port;
  private final PrivilegeDrop privilegeDrop;
  private final OrphanGuard orphanGuard;
  private final Thread shutdownHook = new Thread(this::stopAndDelete, "postgres-cleanup");

  private volatile EmbeddedPostgres postgres;
  private boolean closed;

  private PostgresServer() {
    directory = TempDirs.create("postgres-");
    dataDirectory = directory.resolve("data");
    log = directory.resolve("postgres.log");
    port = FreePorts.pick();
    try {
      privilegeDrop = PrivilegeDrop.ifNeeded();
      if (privilegeDrop != null) {
        privilegeDrop.prepareDataDirectory(directory, dataDirectory);
      }
    } catch (RuntimeException e) {
      TempDirs.deleteQuietly(directory);
      throw e;
    }
    orphanGuard = OrphanGuard.watch(directory, dataDirectory);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Initializes a new cluster and starts it; blocks until it accepts connections. */
  public static PostgresServer start() {
    PostgresServer server = new PostgresServer();
    try {
      server.restart();
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** JDBC URL of the {@code postgres} database; the same across restarts. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  public int port() {
    return port;
  }

  /** A new connection to {@link #jdbcUrl()}; fails with {@link SQLException} while the server is stopped. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
  }

  public boolean isRunning() {
    return postgres != null;
  }

  /** Starts the server again on the same port and data directory; a running server is stopped first. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    stop();
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(STARTUP_TIMEOUT)
        .setLocaleConfig("locale", "C")
        // Tests do not survive power loss; a stopped or killed server still keeps what it wrote.
        .setServerConfig("fsync", "off")
        // zonky turns it off; a killed server would then lose commits it had acknowledged, which no production
        // server does, and a crash scenario would blame the client for it.
        .setServerConfig("synchronous_commit", "on")
        // TCP only: no socket or lock files outside the data directory.
        .setServerConfig("unix_socket_directories", "''")
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (privilegeDrop != null) {
      builder.setPgBinaryResolver(privilegeDrop.binaryResolver());
    }
    try {
      postgres = builder.start();
    } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
      throw new IllegalStateException("PostgreSQL did not start on port " + port + ": " + e
          + LogTail.of(log, LOG_TAIL_LINES), e);
    }
  }

  /** Fast shutdown ({@code pg_ctl stop -m fast}); the data directory stays. */
  public synchronized void stop() {
    EmbeddedPostgres running = postgres;
    postgres = null;
    if (running != null) {
      shutDown(running);
    }
  }

  /**
   * Crash: SIGKILL of the postmaster and every process it started, as when the node or container dies; no
   * checkpoint, no shutdown record. The next {@link #restart()} runs crash recovery from the write-ahead log. The
   * postmaster is stopped first so it forks nothing new while its children are collected; the children are killed
   * too, since a survivor still attached to the shared memory would keep a new postmaster from starting. Returns
   * when every one of them is gone and the port is free.
   */
  public synchronized void kill() {
    EmbeddedPostgres running = postgres;
    if (running == null) {
      return;
    }
    postgres = null;
    ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElse(null);
    if (postmaster != null) {
      signal("STOP", postmaster);
      List<ProcessHandle> all = new ArrayList<>();
      all.add(postmaster);
      postmaster.descendants().forEach(all::add);
      all.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle process : all) {
        awaitExit(process);
      }
    }
    // zonky locks a file in the data directory for the life of its instance, and only its close() (which would try
    // to stop the dead server and log the failure) releases it: a new lock file lets the next start lock again.
    try {
      Files.deleteIfExists(dataDirectory.resolve(ZONKY_LOCK_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove zonky's lock file of the killed server", e);
    }
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  @Override
  public String toString() {
    return "PostgresServer[" + jdbcUrl() + ", " + directory + "]";
  }

  /** Unsynchronized: it also runs as the shutdown hook, which must not wait for a test thread's lock. */
  private void stopAndDelete() {
    EmbeddedPostgres running = postgres;
    postgres = null;
    try {
      if (running != null) {
        shutDown(running);
      }
    } finally {
      TempDirs.deleteQuietly(directory);
      orphanGuard.dismiss();
    }
  }

  /** The postmaster's pid, the first line of postmaster.pid in the data directory. */
  private long postmasterPid() {
    try {
      return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the postmaster's pid in " + dataDirectory, e);
    }
  }

  private static void awaitExit(ProcessHandle process) {
    try {
      process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("PostgreSQL process " + process.pid() + " survived SIGKILL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing PostgreSQL", e);
    }
  }

  private static void signal(String signal, ProcessHandle process) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("could not send SIG" + signal + " to PostgreSQL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling PostgreSQL", e);
    }
  }

  /** zonky's close runs {@code pg_ctl stop -m fast} and logs rather than throws when that fails. */
  private static void shutDown(EmbeddedPostgres running) {
    try {
      running.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
