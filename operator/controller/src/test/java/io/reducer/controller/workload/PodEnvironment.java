package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment a container's process sees, as Kubernetes would resolve it, for parsing with a workload's CLI. */
public final class PodEnvironment {

  /** What the downward API gives for metadata.name. */
  public static final String POD_NAME = "workload-7d9f8-abcde";

  private PodEnvironment() {
  }

  /**
   * Plain values as they are, the pod's name for metadata.name, {@code secret:<name>/<key>} for a secretKeyRef (in PEM
   * armour for the Kafka TLS variables, whose content the commands check).
   */
  public static Map<String, String> of(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable : container.getEnv()) {
      env.put(variable.getName(), value(variable));
    }
    return env;
  }

  private static String value(EnvVar variable) {
    if (variable.getValueFrom() == null) {
      return variable.getValue();
    }
    if (variable.getValueFrom().getSecretKeyRef() != null) {
      String reference = "secret:" + variable.getValueFrom().getSecretKeyRef().getName() + "/"
          + variable.getValueFrom().getSecretKeyRef().getKey();
      return switch (variable.getName()) {
        case KafkaClientSecurity.TLS_CA_ENV, KafkaClientSecurity.TLS_CERTIFICATE_ENV -> pem("CERTIFICATE", reference);
        case KafkaClientSecurity.TLS_PRIVATE_KEY_ENV -> pem("PRIVATE KEY", reference);
        default -> reference;
      };
    }
    if ("metadata.name".equals(variable.getValueFrom().getFieldRef().getFieldPath())) {
      return POD_NAME;
    }
    throw new IllegalArgumentException("no value for " + variable.getName() + ": " + variable.getValueFrom());
  }

  private static String pem(String type, String content) {
    return "-----BEGIN " + type + "-----\n" + content + "\n-----END " + type + "-----\n";
  }
}
