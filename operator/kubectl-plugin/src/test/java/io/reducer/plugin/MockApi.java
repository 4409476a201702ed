package io.reducer.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A fresh mock API server with the committed CRDs for each test: {@code @RegisterExtension final MockApi api}. */
final class MockApi implements BeforeEachCallback, AfterEachCallback {

  private MockKubernetes kubernetes;

  @Override
  public void beforeEach(ExtensionContext context) {
    kubernetes = MockKubernetes.withCommittedCrds();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    kubernetes.close();
  }

  MockKubernetes kubernetes() {
    return kubernetes;
  }

  KubernetesClient client() {
    return kubernetes.client();
  }
}
