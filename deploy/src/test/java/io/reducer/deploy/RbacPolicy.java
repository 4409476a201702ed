package io.reducer.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What rendered RBAC objects allow one service account, decided as Kubernetes' RBAC authorizer does: a RoleBinding
 * grants its Role's (or ClusterRole's) rules in the binding's namespace, a ClusterRoleBinding grants its ClusterRole's
 * rules everywhere, and a rule matches when its API group, resource (with subresource), verb and resource names
 * (if any) all match. Nothing is allowed that no rule allows, except what Kubernetes grants every authenticated
 * user by default ({@link #DEFAULT_FOR_AUTHENTICATED}).
 */
final class RbacPolicy {

  /**
   * A rule that applies in one namespace, or everywhere (namespace null).
   */
  record Grant(String namespace, PolicyRule rule, String source) {
  }

  /**
   * What the default ClusterRoles system:basic-user and system:discovery grant every authenticated user: reviews of
   * one's own permissions (java-operator-sdk checks its Lease access with a SelfSubjectRulesReview) and discovery.
   */
  static final List<PolicyRule> DEFAULT_FOR_AUTHENTICATED = List.of(
      rule("authorization.k8s.io", List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"), "create"));
  private static final Set<String> DISCOVERY_PATHS = Set.of("/api", "/apis", "/version", "/healthz", "/livez",
      "/readyz", "/openapi");

  private final List<Grant> grants;

  private RbacPolicy(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  /** The grants of {@code objects} to service account {@code namespace/name}. */
  static RbacPolicy forServiceAccount(List<HasMetadata> objects, String namespace, String name) {
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object instanceof RoleBinding binding && binds(binding.getSubjects(), namespace, name)) {
        String where = binding.getMetadata().getNamespace();
        String kind = binding.getRoleRef().getKind();
        for (PolicyRule rule : rules(objects, kind, binding.getRoleRef().getName(), where)) {
          grants.add(new Grant(where, rule, kind + " " + where + "/" + binding.getRoleRef().getName()));
        }
      } else if (object instanceof ClusterRoleBinding binding && binds(binding.getSubjects(), namespace, name)) {
        for (PolicyRule rule : rules(objects, "ClusterRole", binding.getRoleRef().getName(), null)) {
          grants.add(new Grant(null, rule, "ClusterRole " + binding.getRoleRef().getName()));
        }
      }
    }
    return new RbacPolicy(grants);
  }

  List<Grant> grants() {
    return grants;
  }

  boolean allows(ApiRequest request) {
    if (!request.isResourceRequest()) {
      return request.verb().equals("get") && DISCOVERY_PATHS.stream().anyMatch(p -> request.nonResourcePath()
          .equals(p) || request.nonResourcePath().startsWith(p + "/"));
    }
    if (DEFAULT_FOR_AUTHENTICATED.stream().anyMatch(rule -> matches(rule, request))) {
      return true;
    }
    return grants.stream().anyMatch(grant -> (grant.namespace() == null
        || grant.namespace().equals(request.namespace())) && matches(grant.rule(), request));
  }

  /** The rules that apply in {@code namespace}, as a SelfSubjectRulesReview for it reports them. */
  List<PolicyRule> rulesIn(String namespace) {
    List<PolicyRule> rules = new ArrayList<>(DEFAULT_FOR_AUTHENTICATED);
    grants.stream().filter(g -> g.namespace() == null || g.namespace().equals(namespace)).map(Grant::rule)
        .forEach(rules::add);
    return rules;
  }

  static boolean matches(PolicyRule rule, ApiRequest request) {
    return matchesAny(rule.getVerbs(), request.verb())
        && matchesAny(rule.getApiGroups(), request.group())
        && matchesResource(rule.getResources(), request)
        && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
            || (!request.name().isEmpty() && rule.getResourceNames().contains(request.name())));
  }

  private static boolean matchesResource(List<String> resources, ApiRequest request) {
    if (resources == null) {
      return false;
    }
    String wanted = request.resourceWithSubresource();
    for (String resource : resources) {
      if (resource.equals("*") || resource.equals(wanted)
          || (!request.subresource().isEmpty() && (resource.equals(request.resource() + "/*")
              || resource.equals("*/" + request.subresource())))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAny(List<String> values, String wanted) {
    return values != null && (values.contains("*") || values.contains(wanted));
  }

  private static boolean binds(List<Subject> subjects, String namespace, String name) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && name.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rules(List<HasMetadata> objects, String kind, String name, String namespace) {
    for (HasMetadata object : objects) {
      if (kind.equals("Role") && object instanceof Role role && name.equals(role.getMetadata().getName())
          && namespace.equals(role.getMetadata().getNamespace())) {
        return role.getRules();
      }
      if (kind.equals("ClusterRole") && object instanceof ClusterRole role
          && name.equals(role.getMetadata().getName())) {
        return role.getRules();
      }
    }
    return List.of();
  }

  static PolicyRule rule(String group, List<String> resources, String... verbs) {
    PolicyRule rule = new PolicyRule();
    rule.setApiGroups(List.of(group));
    rule.setResources(resources);
    rule.setVerbs(List.of(verbs));
    return rule;
  }
}
