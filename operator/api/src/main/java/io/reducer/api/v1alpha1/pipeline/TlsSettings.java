package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.SecretKeySelector;

/** PEM material for TLS, each piece read from a Secret key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.certificateSecretRef) == has(self.privateKeySecretRef)",
    message = "certificateSecretRef and privateKeySecretRef must be given together for mutual TLS")
public class TlsSettings {

  @JsonPropertyDescription("Secret key holding the PEM CA certificate(s) to trust. Omit to use the JVM's default trust.")
  private SecretKeySelector caSecretRef;

  @JsonPropertyDescription("Secret key holding the PEM client certificate chain, for mutual TLS.")
  private SecretKeySelector certificateSecretRef;

  @JsonPropertyDescription("Secret key holding the PEM (PKCS#8) client private key, for mutual TLS.")
  private SecretKeySelector privateKeySecretRef;

  public SecretKeySelector getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(SecretKeySelector caSecretRef) {
    this.caSecretRef = caSecretRef;
  }

  public SecretKeySelector getCertificateSecretRef() {
    return certificateSecretRef;
  }

  public void setCertificateSecretRef(SecretKeySelector certificateSecretRef) {
    this.certificateSecretRef = certificateSecretRef;
  }

  public SecretKeySelector getPrivateKeySecretRef() {
    return privateKeySecretRef;
  }

  public void setPrivateKeySecretRef(SecretKeySelector privateKeySecretRef) {
    this.privateKeySecretRef = privateKeySecretRef;
  }
}
