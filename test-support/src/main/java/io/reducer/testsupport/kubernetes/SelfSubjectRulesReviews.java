package io.reducer.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.function.Function;

/**
 * Answers {@code POST selfsubjectrulesreviews}, which the CRUD mock refuses (it is not an object to store). A
 * caller asks what it may do in a namespace; java-operator-sdk does so before leader election, to check its Lease
 * access, and does not start without an answer.
 */
public final class SelfSubjectRulesReviews {

  private static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private SelfSubjectRulesReviews() {
  }

  public static boolean isReview(RecordedRequest request) {
    return "POST".equals(request.getMethod()) && request.getPath() != null && request.getPath().startsWith(PATH);
  }

  /** The review of {@code request} with the rules {@code rulesIn} gives for the namespace it asks about. */
  public static MockResponse answer(RecordedRequest request, Function<String, List<ResourceRule>> rulesIn) {
    SelfSubjectRulesReview review = JSON.unmarshal(request.getBody().readUtf8(), SelfSubjectRulesReview.class);
    String namespace = review.getSpec() == null ? null : review.getSpec().getNamespace();
    review.setStatus(new SubjectRulesReviewStatus(null, false, List.of(), rulesIn.apply(namespace)));
    return new MockResponse().setResponseCode(201).setBody(JSON.asJson(review));
  }

  /** Everything, everywhere: what a cluster administrator is allowed. */
  public static List<ResourceRule> everything(String namespace) {
    return List.of(new ResourceRule(List.of("*"), List.of(), List.of("*"), List.of("*")));
  }
}
