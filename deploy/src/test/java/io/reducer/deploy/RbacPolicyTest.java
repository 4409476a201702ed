package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request parser and rule matcher the RBAC coverage test relies on, and the chart's rules through them. */
class RbacPolicyTest {

  private static final String SA_NAMESPACE = "reducer-system";

  @Test
  void requestsAreReadAsTheApiServerReadsThem() {
    assertThat(ApiRequest.of("GET", "/apis/apps/v1/namespaces/orders/deployments?watch=true&resourceVersion=5"))
        .isEqualTo(new ApiRequest("watch", "apps", "deployments", "", "orders", "", ""));
    assertThat(ApiRequest.of("GET", "/apis/apps/v1/namespaces/orders/deployments?labelSelector=a%3Db"))
        .isEqualTo(new ApiRequest("list", "apps", "deployments", "", "orders", "", ""));
    assertThat(ApiRequest.of("PATCH", "/apis/reducer.io/v1alpha1/namespaces/orders/projections/p/status"))
        .isEqualTo(new ApiRequest("patch", "reducer.io", "projections", "status", "orders", "p", ""));
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces/orders/secrets/pg"))
        .isEqualTo(new ApiRequest("get", "", "secrets", "", "orders", "pg", ""));
    assertThat(ApiRequest.of("GET", "/api/v1/pods?watch=1"))
        .isEqualTo(new ApiRequest("watch", "", "pods", "", "", "", ""));
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces/orders/pods?fieldSelector=metadata.name%3Dx"))
        .isEqualTo(new ApiRequest("list", "", "pods", "", "orders", "x", ""));
    assertThat(ApiRequest.of("DELETE", "/apis/batch/v1/namespaces/orders/jobs/j").verb()).isEqualTo("delete");
    assertThat(ApiRequest.of("DELETE", "/apis/batch/v1/namespaces/orders/jobs").verb())
        .isEqualTo("deletecollection");
    assertThat(ApiRequest.of("PUT", "/apis/coordination.k8s.io/v1/namespaces/ops/leases/l"))
        .isEqualTo(new ApiRequest("update", "coordination.k8s.io", "leases", "", "ops", "l", ""));
    assertThat(ApiRequest.of("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"))
        .isEqualTo(new ApiRequest("create", "authorization.k8s.io", "selfsubjectrulesreviews", "", "", "", ""));
    assertThat(ApiRequest.of("GET", "/version").isResourceRequest()).isFalse();
  }

  @Test
  void theDefaultChartAllowsTheOperatorsRequestsInTheReleaseNamespaceOnly() {
    RbacPolicy policy = policy("");

    assertThat(policy.allows(get("/api/v1/namespaces/reducer-system/secrets/pg"))).isTrue();
    assertThat(policy.allows(get("/api/v1/namespaces/orders/secrets/pg"))).isFalse();
    assertThat(policy.allows(get("/api/v1/namespaces/reducer-system/secrets"))).as("list secrets").isFalse();
    assertThat(policy.allows(get("/apis/apps/v1/namespaces/reducer-system/deployments?watch=true"))).isTrue();
    assertThat(policy.allows(get("/apis/apps/v1/deployments?watch=true"))).as("watch all namespaces").isFalse();
    assertThat(policy.allows(ApiRequest.of("PATCH",
        "/apis/reducer.io/v1alpha1/namespaces/reducer-system/projections/p/status"))).isTrue();
    assertThat(policy.allows(ApiRequest.of("PUT",
        "/apis/reducer.io/v1alpha1/namespaces/reducer-system/projections/p"))).as("update spec").isFalse();
    assertThat(policy.allows(ApiRequest.of("DELETE",
        "/apis/reducer.io/v1alpha1/namespaces/reducer-system/projections/p"))).as("delete projection").isFalse();
    assertThat(policy.allows(get("/apis/reducer.io/v1alpha1/namespaces/reducer-system/dlqreplays/r")))
        .as("get dlqreplay").isFalse();
    assertThat(policy.allows(ApiRequest.of("POST",
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"))).isTrue();
    assertThat(policy.allows(get("/version"))).isTrue();
  }

  @Test
  void theLeaseRuleLimitsGetAndUpdateToTheLeaseName() {
    RbacPolicy policy = policy("");
    String leases = "/apis/coordination.k8s.io/v1/namespaces/reducer-system/leases";

    assertThat(policy.allows(ApiRequest.of("POST", leases))).isTrue();
    assertThat(policy.allows(get(leases + "/reducer-operator-lease"))).isTrue();
    assertThat(policy.allows(ApiRequest.of("PUT", leases + "/reducer-operator-lease"))).isTrue();
    assertThat(policy.allows(ApiRequest.of("PATCH", leases + "/reducer-operator-lease"))).isTrue();
    assertThat(policy.allows(get(leases + "/another-lease"))).isFalse();
    assertThat(policy.allows(ApiRequest.of("DELETE", leases + "/reducer-operator-lease"))).isFalse();
    assertThat(policy.allows(ApiRequest.of("POST", "/apis/coordination.k8s.io/v1/namespaces/orders/leases")))
        .isFalse();
  }

  @Test
  void watchingAllNamespacesAllowsClusterWideListsAndWatchesOfTheSameKinds() {
    RbacPolicy policy = policy("watchNamespaces: ['*']\n");

    assertThat(policy.allows(get("/apis/apps/v1/deployments?watch=true"))).isTrue();
    assertThat(policy.allows(get("/apis/reducer.io/v1alpha1/dlqreplays"))).isTrue();
    assertThat(policy.allows(get("/api/v1/namespaces/anywhere/secrets/pg"))).isTrue();
    assertThat(policy.allows(get("/api/v1/secrets"))).as("list secrets").isFalse();
    assertThat(policy.allows(get("/api/v1/namespaces"))).isFalse();
  }

  private static RbacPolicy policy(String values) {
    return RbacPolicy.forServiceAccount(HelmChart.objects(SA_NAMESPACE, values).objects(), SA_NAMESPACE,
        HelmChart.RELEASE);
  }

  private static ApiRequest get(String path) {
    return ApiRequest.of("GET", path);
  }
}
