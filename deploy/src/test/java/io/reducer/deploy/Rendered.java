package io.reducer.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a chart rendered: its objects, with shortcuts to the ones the tests look at. */
record Rendered(List<HasMetadata> objects) {

  static Rendered of(String yaml) {
    return new Rendered(HelmChart.parse(yaml));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
    }
    return found.get(0);
  }

  List<Role> roles() {
    return all(Role.class);
  }

  List<RoleBinding> roleBindings() {
    return all(RoleBinding.class);
  }

  List<ClusterRole> clusterRoles() {
    return all(ClusterRole.class);
  }

  List<ClusterRoleBinding> clusterRoleBindings() {
    return all(ClusterRoleBinding.class);
  }

  Deployment deployment() {
    return one(Deployment.class);
  }

  Container container() {
    return deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The operator container's environment with plain values (a Downward API variable maps to its field path). */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable : container().getEnv()) {
      env.put(variable.getName(), variable.getValueFrom() != null && variable.getValueFrom().getFieldRef() != null
          ? "fieldRef:" + variable.getValueFrom().getFieldRef().getFieldPath() : variable.getValue());
    }
    return env;
  }
}
