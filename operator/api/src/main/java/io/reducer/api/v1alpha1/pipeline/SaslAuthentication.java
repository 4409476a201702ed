package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.reducer.api.v1alpha1.common.SecretKeySelector;

/** SASL mechanism and the Secret keys holding the username and password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SaslAuthentication {

  /** Kafka's sasl.mechanism values that take a username and password. */
  public enum Mechanism {
    PLAIN,
    @JsonProperty("SCRAM-SHA-256") SCRAM_SHA_256,
    @JsonProperty("SCRAM-SHA-512") SCRAM_SHA_512
  }

  @Required
  @JsonPropertyDescription("Kafka sasl.mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.")
  private Mechanism mechanism;

  @Required
  @JsonPropertyDescription("Secret key holding the SASL username.")
  private SecretKeySelector usernameSecretRef;

  @Required
  @JsonPropertyDescription("Secret key holding the SASL password.")
  private SecretKeySelector passwordSecretRef;

  public Mechanism getMechanism() {
    return mechanism;
  }

  public void setMechanism(Mechanism mechanism) {
    this.mechanism = mechanism;
  }

  public SecretKeySelector getUsernameSecretRef() {
    return usernameSecretRef;
  }

  public void setUsernameSecretRef(SecretKeySelector usernameSecretRef) {
    this.usernameSecretRef = usernameSecretRef;
  }

  public SecretKeySelector getPasswordSecretRef() {
    return passwordSecretRef;
  }

  public void setPasswordSecretRef(SecretKeySelector passwordSecretRef) {
    this.passwordSecretRef = passwordSecretRef;
  }
}
