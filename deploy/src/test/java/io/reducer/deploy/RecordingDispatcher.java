package io.reducer.deploy;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.reducer.testsupport.kubernetes.SelfSubjectRulesReviews;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The mock API server's CRUD dispatcher that records every request of one client, recognised by its User-Agent,
 * and answers SelfSubjectRulesReviews with the rules an {@link RbacPolicy} grants in the namespace asked about, as a
 * real API server would for the service account the policy describes.
 */
final class RecordingDispatcher extends KubernetesCrudDispatcher {

  private final String userAgent;
  private final RbacPolicy policy;
  private final List<ApiRequest> recorded = new CopyOnWriteArrayList<>();

  RecordingDispatcher(String userAgent, RbacPolicy policy) {
    super(new ArrayList<>());
    this.userAgent = userAgent;
    this.policy = policy;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (userAgent.equals(request.getHeader("User-Agent"))) {
      recorded.add(ApiRequest.of(request.getMethod(), request.getPath()));
    }
    if (SelfSubjectRulesReviews.isReview(request)) {
      return SelfSubjectRulesReviews.answer(request, this::rulesIn);
    }
    return super.dispatch(request);
  }

  /** The requests of the recorded client so far, in order. */
  List<ApiRequest> recorded() {
    return List.copyOf(recorded);
  }

  private List<ResourceRule> rulesIn(String namespace) {
    List<ResourceRule> rules = new ArrayList<>();
    for (PolicyRule rule : policy.rulesIn(namespace)) {
      rules.add(new ResourceRule(rule.getApiGroups(), rule.getResourceNames() == null ? List.of()
          : rule.getResourceNames(), rule.getResources(), rule.getVerbs()));
    }
    return rules;
  }
}
