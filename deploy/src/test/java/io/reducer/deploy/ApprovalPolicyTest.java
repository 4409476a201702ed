package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may approve: the optional ValidatingAdmissionPolicy, rendered by Helm, then its CEL evaluated against admission
 * requests of approvers and of other users ({@link AdmissionPolicy}).
 */
class ApprovalPolicyTest {

  private static final String NS = "reducer-system";
  private static final String ENABLED = "approvalPolicy: {enabled: true, approverGroups: [reducer-approvers, sre]}\n";
  private static final List<String> APPROVER = List.of("system:authenticated", "sre");
  private static final List<String> DEVELOPER = List.of("system:authenticated", "developers");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void nothingIsRenderedByDefaultAndEnabledWithoutGroupsIsRefused() {
    assertThat(HelmChart.objects(NS, "").all(ValidatingAdmissionPolicy.class)).isEmpty();
    assertThatThrownBy(() -> HelmChart.template(NS, "approvalPolicy: {enabled: true}\n"))
        .hasMessageContaining("approverGroups must name at least one group");
  }

  @Test
  void aClusterBeforeKubernetes130IsRefusedBecauseItHasNoV1AdmissionPolicies() {
    assertThatThrownBy(() -> HelmChart.template(NS, ENABLED, "1.29.4"))
        .hasMessageContaining("approvalPolicy needs Kubernetes 1.30 or later");
    assertThat(HelmChart.template(NS, "", "1.29.4")).contains("kind: Deployment");
  }

  @Test
  void thePolicyMatchesCreateAndUpdateOfReplaysAndResetsAndItsBindingDenies() {
    Rendered rendered = HelmChart.objects(NS, ENABLED);
    ValidatingAdmissionPolicy policy = rendered.one(ValidatingAdmissionPolicy.class);
    ValidatingAdmissionPolicyBinding binding = rendered.one(ValidatingAdmissionPolicyBinding.class);

    assertThat(policy.getMetadata().getName()).isEqualTo(HelmChart.RELEASE + "-approval");
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getApiGroups()).containsExactly("reducer.io");
      assertThat(rule.getResources()).containsExactlyInAnyOrder("dlqreplays", "watermarkresets");
      assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
    });
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
        .extracting(NamedRuleWithOperations::getResources).noneMatch(r -> r.stream().anyMatch(s -> s.contains("/")));
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(HelmChart.objects(NS, "approvalPolicy: {enabled: true, approverGroups: [sre], "
        + "validationActions: [Warn, Audit]}\n").one(ValidatingAdmissionPolicyBinding.class).getSpec()
        .getValidationActions()).containsExactly("Warn", "Audit");
  }

  @Test
  void onlyAnApproverMaySetTheApproveAnnotation() {
    AdmissionPolicy policy = policy();
    JsonNode waiting = replay("{}", "Manual");
    JsonNode approved = replay("{reducer.io/approve: 'true'}", "Manual");

    assertThat(policy.admit("UPDATE", approved, waiting, "alice", APPROVER).allowed()).isTrue();
    AdmissionPolicy.Decision refused = policy.admit("UPDATE", approved, waiting, "bob", DEVELOPER);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.messages()).singleElement().isEqualTo("only members of reducer-approvers, sre may set, "
        + "change or remove the annotation reducer.io/approve of DlqReplay orders-dlq-1");
  }

  @Test
  void anyoneMayChangeOtherMetadataOrCancelButNotChangeOrRemoveAnApproval() {
    AdmissionPolicy policy = policy();
    JsonNode approved = replay("{reducer.io/approve: 'true'}", "Manual");

    assertThat(policy.admit("UPDATE", replay("{reducer.io/approve: 'true', owner: bob}", "Manual"), approved, "bob",
        DEVELOPER).allowed()).as("another annotation, approval unchanged").isTrue();
    assertThat(policy.admit("UPDATE", replay("{reducer.io/cancel: 'true'}", "Manual"), replay("{}", "Manual"), "bob",
        DEVELOPER).allowed()).as("cancel").isTrue();
    assertThat(policy.admit("UPDATE", replay("{}", "Manual"), replay("{}", "Manual"), "bob", DEVELOPER).allowed())
        .as("no annotations before or after").isTrue();
    assertThat(policy.admit("UPDATE", replay("{reducer.io/approve: 'yes'}", "Manual"), approved, "bob", DEVELOPER)
        .allowed()).as("changed").isFalse();
    assertThat(policy.admit("UPDATE", replay("{}", "Manual"), approved, "bob", DEVELOPER).allowed()).as("removed")
        .isFalse();
    assertThat(policy.admit("UPDATE", replay("{reducer.io/approve: ''}", "Manual"), replay("{}", "Manual"), "bob",
        DEVELOPER).allowed()).as("set to the empty string").isFalse();
  }

  @Test
  void creatingAnApprovedOrAutomaticOperationNeedsAnApproverUnlessItChangesNothing() {
    AdmissionPolicy policy = policy();

    assertThat(policy.admit("CREATE", replay("{}", "Manual"), null, "bob", DEVELOPER).allowed()).isTrue();
    assertThat(policy.admit("CREATE", replay("{reducer.io/approve: 'true'}", "Manual"), null, "bob", DEVELOPER)
        .allowed()).as("created approved").isFalse();
    AdmissionPolicy.Decision automatic = policy.admit("CREATE", replay("{}", "Automatic"), null, "bob", DEVELOPER);
    assertThat(automatic.allowed()).isFalse();
    assertThat(automatic.messages()).singleElement().asString().contains("spec.approval Automatic");
    assertThat(policy.admit("CREATE", replay("{}", "Automatic"), null, "alice", APPROVER).allowed()).isTrue();
    assertThat(policy.admit("CREATE", replay("{reducer.io/approve: 'true'}", "Manual"), null, "alice", APPROVER)
        .allowed()).isTrue();

    JsonNode previewOnly = replay("{}", "Automatic");
    ((com.fasterxml.jackson.databind.node.ObjectNode) previewOnly.get("spec")).put("previewOnly", true);
    assertThat(policy.admit("CREATE", previewOnly, null, "bob", DEVELOPER).allowed()).as("preview only").isTrue();
    assertThat(policy.admit("CREATE", reset(false), null, "bob", DEVELOPER).allowed()).as("automatic reset")
        .isFalse();
    assertThat(policy.admit("CREATE", reset(true), null, "bob", DEVELOPER).allowed()).as("dry-run reset").isTrue();
  }

  @Test
  void aUserWithoutGroupsIsNoApprover() {
    JsonNode approved = replay("{reducer.io/approve: 'true'}", "Manual");

    assertThat(policy().admit("UPDATE", approved, replay("{}", "Manual"), "system:anonymous", List.of()).allowed())
        .isFalse();
  }

  private static AdmissionPolicy policy() {
    return new AdmissionPolicy(HelmChart.objects(NS, ENABLED).one(ValidatingAdmissionPolicy.class));
  }

  private static JsonNode replay(String annotations, String approval) {
    return yaml(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: DlqReplay",
        "metadata: {name: orders-dlq-1, namespace: orders, annotations: " + annotations + "}",
        "spec: {pipelineRef: {name: orders}, approval: " + approval + ", maxReplays: 3}",
        ""));
  }

  private static JsonNode reset(boolean dryRun) {
    return yaml(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: WatermarkReset",
        "metadata: {name: orders-view-reset, namespace: orders}",
        "spec: {projectionRef: {name: orders-view}, target: {type: earliest}, approval: Automatic, dryRun: "
            + dryRun + "}",
        ""));
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
