package io.reducer.testsupport.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD dispatcher plus the two pod subresources a real API server serves and tools use without a route to the
 * pods: {@code GET pods/NAME/log} and {@code GET pods/NAME:PORT/proxy/PATH}, answered from {@link PodEndpoints}.
 * Without endpoints (or for a pod they do not know) the answer is 404, as for a pod that does not exist. A
 * SelfSubjectRulesReview is answered as for a cluster administrator, so an operator with leader election starts.
 */
final class PodSubresourceDispatcher extends KubernetesCrudDispatcher {

  private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/:?]+)/log(\\?.*)?");
  private static final Pattern PROXY =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/:?]+):(\\d+)/proxy(/[^?]*)?(\\?.*)?");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private volatile PodEndpoints endpoints;
  final RefusedWrites refused = new RefusedWrites();

  PodSubresourceDispatcher() {
    super(new ArrayList<>());
  }

  void serve(PodEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    MockResponse refusal = refused.answer(request);
    if (refusal != null) {
      return refusal;
    }
    if (SelfSubjectRulesReviews.isReview(request)) {
      return SelfSubjectRulesReviews.answer(request, SelfSubjectRulesReviews::everything);
    }
    if ("GET".equals(request.getMethod()) && path != null) {
      Matcher log = LOG.matcher(path);
      if (log.matches()) {
        return log(log.group(1), log.group(2));
      }
      Matcher proxy = PROXY.matcher(path);
      if (proxy.matches()) {
        String rest = (proxy.group(4) == null ? "/" : proxy.group(4)) + (proxy.group(5) == null ? "" : proxy.group(5));
        return proxy(proxy.group(1), proxy.group(2), Integer.parseInt(proxy.group(3)), rest);
      }
    }
    return super.dispatch(request);
  }

  private MockResponse log(String namespace, String pod) {
    PodEndpoints served = endpoints;
    Optional<String> log = served == null ? Optional.empty() : served.log(namespace, pod);
    return log.map(text -> new MockResponse().setResponseCode(200).setBody(text))
        .orElseGet(() -> notFound(namespace, pod));
  }

  private MockResponse proxy(String namespace, String pod, int port, String rest) {
    PodEndpoints served = endpoints;
    OptionalInt local = served == null ? OptionalInt.empty() : served.localPort(namespace, pod, port);
    if (local.isEmpty()) {
      return notFound(namespace, pod);
    }
    HttpRequest forward = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local.getAsInt() + rest))
        .timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> answer = HTTP.send(forward, HttpResponse.BodyHandlers.ofString());
      return new MockResponse().setResponseCode(answer.statusCode()).setBody(answer.body());
    } catch (IOException e) {
      // What the API server answers when the pod does not accept the connection.
      return new MockResponse().setResponseCode(503).setBody("error trying to reach service: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new MockResponse().setResponseCode(503).setBody("interrupted");
    }
  }

  private static MockResponse notFound(String namespace, String pod) {
    return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"status\":\"Failure\",\"message\":\"pods \\\"" + pod + "\\\" not found in " + namespace + "\","
        + "\"reason\":\"NotFound\",\"code\":404}");
  }
}
