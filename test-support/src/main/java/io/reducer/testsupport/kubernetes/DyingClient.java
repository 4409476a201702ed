package io.reducer.testsupport.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A Kubernetes client of a process that dies between two API calls: its writes (POST, PUT, PATCH, DELETE) pass until
 * the fatal one, and from then on every request fails to connect, as if the process were gone. Nothing it would do
 * afterwards (release a Lease, remove a finalizer) reaches the server. The fatal write is the {@code after}-th write
 * following the first write that {@code trigger} matches (0: that write itself), and either never reaches the server
 * ({@link Fault#NOT_SENT}) or is applied while its answer is lost ({@link Fault#RESPONSE_LOST}).
 */
public final class DyingClient implements AutoCloseable {

  /** What becomes of the fatal write. */
  public enum Fault { NOT_SENT, RESPONSE_LOST }

  /** One write the client sent (or tried to): method, path and body. */
  public record Write(String method, String path, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status write of {@code plural/name} that sets status.phase to one of {@code phases}. */
    public static Predicate<Write> entersPhase(String plural, String name, Collection<String> phases) {
      return w -> w.path.endsWith("/" + plural + "/" + name + "/status") && w.phase() != null
          && phases.contains(w.phase());
    }

    /** status.phase as this write sets it, from a whole object, a merge patch or a JSON patch; null if it does not. */
    public String phase() {
      try {
        JsonNode body = JSON.readTree(this.body);
        if (body == null) {
          return null;
        }
        if (body.isObject()) {
          return body.path("status").path("phase").textValue();
        }
        for (JsonNode op : body) {
          String path = op.path("path").asText();
          if (path.equals("/status/phase")) {
            return op.path("value").textValue();
          }
          if (path.equals("/status")) {
            return op.path("value").path("phase").textValue();
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      return method + " " + path + (phase() == null ? "" : " phase=" + phase());
    }
  }

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  /** Nothing listens on port 1: every request sent there fails at once with "connection refused". */
  private static final int NOWHERE = 1;

  private final Predicate<Write> trigger;
  private final int after;
  private final Fault fault;
  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final KubernetesClient client;
  private int countdown = -1;
  private volatile Write fatal;

  private DyingClient(KubernetesClient healthy, Predicate<Write> trigger, int after, Fault fault) {
    this.trigger = trigger;
    this.after = after;
    this.fault = fault;
    // No retries: a dead process does not retry, and a live one would only wait longer to find the server gone.
    this.client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(healthy.getConfiguration()).withRequestRetryBackoffLimit(0).build())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("dying", new Dying()))
        .build();
  }

  /** A client that dies at the {@code after}-th write following the first one {@code trigger} matches. */
  public static DyingClient dyingAt(KubernetesClient healthy, Predicate<Write> trigger, int after, Fault fault) {
    return new DyingClient(healthy, trigger, after, fault);
  }

  /** A client that never dies and only records its writes. */
  public static DyingClient recording(KubernetesClient healthy) {
    return new DyingClient(healthy, w -> false, 0, Fault.NOT_SENT);
  }

  public KubernetesClient client() {
    return client;
  }

  /** Whether the process is dead: the fatal write was sent or dropped. */
  public boolean dead() {
    return fatal != null;
  }

  /** The write the process died at; null while it lives. */
  public Write fatalWrite() {
    return fatal;
  }

  /** Every write attempted, in order, the fatal one last once dead. */
  public List<Write> writes() {
    return List.copyOf(writes);
  }

  @Override
  public void close() {
    client.close();
  }

  private final class Dying implements Interceptor {

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if (fatal != null) {
        builder.uri(nowhere(request.uri()));
        return;
      }
      if (!WRITES.contains(request.method())) {
        return;
      }
      Write write = new Write(request.method(), request.uri().getPath(), request.bodyString());
      if (!decide(write)) {
        return;
      }
      if (fault == Fault.RESPONSE_LOST) {
        forward(request);
      }
      builder.uri(nowhere(request.uri()));
    }

    /** Records the write; true when it is the fatal one. */
    private synchronized boolean decide(Write write) {
      if (fatal != null) {
        return true;
      }
      writes.add(write);
      if (countdown < 0 && trigger.test(write)) {
        countdown = after;
      }
      if (countdown == 0) {
        fatal = write;
        return true;
      }
      if (countdown > 0) {
        countdown--;
      }
      return false;
    }

    /** Applies the write on the server, whose answer the dying process then never reads. */
    private void forward(HttpRequest request) {
      String body = request.bodyString();
      var forwarded = java.net.http.HttpRequest.newBuilder(request.uri()).timeout(Duration.ofSeconds(10))
          .method(request.method(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
              : java.net.http.HttpRequest.BodyPublishers.ofString(body));
      String type = request.header("Content-Type");
      if (type != null) {
        forwarded.header("Content-Type", type);
      }
      try {
        forwarder.send(forwarded.build(), HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        throw new IllegalStateException("could not apply the fatal write " + request.uri(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static URI nowhere(URI uri) {
      return URI.create(uri.getScheme() + "://127.0.0.1:" + NOWHERE + uri.getRawPath()
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
  }
}
