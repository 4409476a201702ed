package io.reducer.testsupport.cluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A tiny workload for the local cluster's tests. Does what its arguments say, in order:
 * {@code print-env}, {@code say=TEXT}, {@code serve} (GET /health and /ready on $WORKLOAD_HTTP_PORT),
 * {@code message=TEXT} (to $TERMINATION_LOG), {@code sleep=MS}, {@code exit=CODE}, {@code shutdown-delay=MS}
 * (SIGTERM takes that long), {@code hold=FILE} (a shared lock on FILE for the process's life) and
 * {@code check-free=FILE} (exit 42 if another process holds a lock on FILE).
 */
public final class TestWorkload {

  static final String PORT_VARIABLE = "WORKLOAD_HTTP_PORT";
  static final int OVERLAP_EXIT_CODE = 42;

  /** Locks live as long as their channels; kept here for the life of the process. */
  private static final List<FileChannel> HELD = new ArrayList<>();

  private TestWorkload() {
  }

  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      int equals = arg.indexOf('=');
      String command = equals < 0 ? arg : arg.substring(0, equals);
      String value = equals < 0 ? "" : arg.substring(equals + 1);
      switch (command) {
        case "print-env" -> new TreeMap<>(System.getenv()).forEach((name, v) -> System.out.println(name + "=" + v));
        case "say" -> System.out.println(value);
        case "serve" -> serve(Integer.parseInt(System.getenv(PORT_VARIABLE)));
        case "message" -> Files.writeString(Path.of(System.getenv("TERMINATION_LOG")), value);
        case "sleep" -> Thread.sleep(Long.parseLong(value));
        case "exit" -> {
          System.out.flush();
          System.exit(Integer.parseInt(value));
        }
        case "shutdown-delay" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> sleep(Long.parseLong(value))));
        case "hold" -> hold(Path.of(value));
        case "check-free" -> checkFree(Path.of(value));
        default -> throw new IllegalArgumentException("unknown command " + arg);
      }
    }
  }

  /** Its threads are not daemons: the process runs until it is stopped. */
  private static void serve(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> {
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println("serving on " + port);
  }

  private static void hold(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    channel.lock(0, Long.MAX_VALUE, true);
    HELD.add(channel);
  }

  /** An exclusive lock on a byte of our own: conflicts with a holder's shared lock, not with another checker. */
  private static void checkFree(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock(ProcessHandle.current().pid(), 1, false);
      if (lock == null) {
        System.out.println("overlap: another process holds " + file);
        System.out.flush();
        System.exit(OVERLAP_EXIT_CODE);
      }
      lock.release();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
