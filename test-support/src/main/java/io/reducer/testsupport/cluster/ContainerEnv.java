package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment from its pod template, resolved as kubelet does: {@code envFrom} first, then
 * {@code env} (later entries win); Secret and ConfigMap references read through the API, with kubelet's messages
 * when they are missing; the downward API for the pod's name, namespace, uid, labels, annotations and IP; and
 * {@code $(VAR)} references to variables defined before.
 */
final class ContainerEnv {

  static final String POD_IP = "127.0.0.1";

  private static final Pattern LABEL_PATH = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final ClusterApi api;
  private final Pod pod;
  private final String namespace;

  private ContainerEnv(ClusterApi api, Pod pod) {
    this.api = api;
    this.pod = pod;
    this.namespace = pod.getMetadata().getNamespace();
  }

  static Map<String, String> resolve(ClusterApi api, Pod pod, Container container)
      throws ContainerConfigException {
    return new ContainerEnv(api, pod).resolve(container);
  }

  private Map<String, String> resolve(Container container) throws ContainerConfigException {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource source : container.getEnvFrom()) {
      String prefix = source.getPrefix() == null ? "" : source.getPrefix();
      source(source).forEach((key, value) -> env.put(prefix + key, value));
    }
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValueFrom() == null) {
        env.put(variable.getName(), expand(variable.getValue() == null ? "" : variable.getValue(), env));
      } else {
        Optional<String> value = valueFrom(variable.getName(), variable.getValueFrom());
        if (value.isPresent()) {
          env.put(variable.getName(), value.get());
        }
      }
    }
    return env;
  }

  private Map<String, String> source(EnvFromSource source) throws ContainerConfigException {
    if (source.getSecretRef() != null) {
      String name = source.getSecretRef().getName();
      return data("Secret", name, source.getSecretRef().getOptional(), secretData(name)).orElse(Map.of());
    }
    if (source.getConfigMapRef() != null) {
      String name = source.getConfigMapRef().getName();
      return data("ConfigMap", name, source.getConfigMapRef().getOptional(), configMapData(name)).orElse(Map.of());
    }
    return Map.of();
  }

  private Optional<String> valueFrom(String variable, EnvVarSource source) throws ContainerConfigException {
    SecretKeySelector secretKey = source.getSecretKeyRef();
    if (secretKey != null) {
      return key("Secret", secretKey.getName(), secretKey.getKey(), secretKey.getOptional(),
          secretData(secretKey.getName()));
    }
    ConfigMapKeySelector configMapKey = source.getConfigMapKeyRef();
    if (configMapKey != null) {
      return key("ConfigMap", configMapKey.getName(), configMapKey.getKey(), configMapKey.getOptional(),
          configMapData(configMapKey.getName()));
    }
    if (source.getFieldRef() != null) {
      return Optional.of(field(source.getFieldRef().getFieldPath()));
    }
    throw new ContainerConfigException("the local cluster resolves secretKeyRef, configMapKeyRef and fieldRef only"
        + " (env " + variable + ")");
  }

  private Optional<String> key(String kind, String name, String key, Boolean optional,
      Optional<Map<String, String>> source) throws ContainerConfigException {
    Optional<Map<String, String>> data = data(kind, name, optional, source);
    String value = data.map(values -> values.get(key)).orElse(null);
    if (data.isPresent() && value == null && !Boolean.TRUE.equals(optional)) {
      throw new ContainerConfigException("couldn't find key " + key + " in " + kind + " " + namespace + "/" + name);
    }
    return Optional.ofNullable(value);
  }

  /** An absent optional source contributes nothing; an absent required one stops the container, as kubelet. */
  private static Optional<Map<String, String>> data(String kind, String name, Boolean optional,
      Optional<Map<String, String>> source) throws ContainerConfigException {
    if (source.isEmpty() && !Boolean.TRUE.equals(optional)) {
      throw new ContainerConfigException(kind.toLowerCase(Locale.ROOT) + " \"" + name + "\" not found");
    }
    return source;
  }

  private String field(String path) throws ContainerConfigException {
    Matcher labelOrAnnotation = LABEL_PATH.matcher(path);
    if (labelOrAnnotation.matches()) {
      Map<String, String> values = labelOrAnnotation.group(1).equals("labels")
          ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
      return values == null ? "" : values.getOrDefault(labelOrAnnotation.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> namespace;
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "default"
          : pod.getSpec().getServiceAccountName();
      case "spec.nodeName" -> "localhost";
      case "status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs" -> POD_IP;
      default -> throw new ContainerConfigException("the local cluster does not resolve fieldPath " + path);
    };
  }

  /** The API server turns stringData into data on a real cluster; the mock stores both as sent. */
  private Optional<Map<String, String>> secretData(String name) {
    return api.secret(namespace, name).map(ContainerEnv::decoded);
  }

  private Optional<Map<String, String>> configMapData(String name) {
    return api.configMap(namespace, name).map(ContainerEnv::decoded);
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> values = base64Decoded(secret.getData());
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private static Map<String, String> decoded(ConfigMap configMap) {
    Map<String, String> values = base64Decoded(configMap.getBinaryData());
    if (configMap.getData() != null) {
      values.putAll(configMap.getData());
    }
    return values;
  }

  private static Map<String, String> base64Decoded(Map<String, String> encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded != null) {
      encoded.forEach((key, value) ->
          values.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    }
    return values;
  }

  /** Kubernetes' $(VAR) expansion: defined variables are replaced, $$ escapes, anything else stays as written. */
  static String expand(String value, Map<String, String> env) {
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(' && value.indexOf(')', i) > 0) {
        int end = value.indexOf(')', i);
        String name = value.substring(i + 2, end);
        out.append(env.containsKey(name) ? env.get(name) : value.substring(i, end + 1));
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
