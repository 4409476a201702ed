package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** Kafka security.protocol with its SASL and TLS settings; secrets come only from Secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!self.protocol.startsWith('SASL') || has(self.sasl)",
    message = "sasl is required when protocol is SASL_PLAINTEXT or SASL_SSL")
@ValidationRule(value = "self.protocol.startsWith('SASL') || !has(self.sasl)",
    message = "sasl is only used with protocol SASL_PLAINTEXT or SASL_SSL")
@ValidationRule(value = "self.protocol.endsWith('SSL') || !has(self.tls)",
    message = "tls is only used with protocol SSL or SASL_SSL")
public class KafkaSecurity {

  /** Kafka's security.protocol values. */
  public enum Protocol { PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL }

  @Default("PLAINTEXT")
  @JsonPropertyDescription("Kafka security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.")
  private Protocol protocol = Protocol.PLAINTEXT;

  @JsonPropertyDescription("SASL authentication; required with SASL_PLAINTEXT and SASL_SSL.")
  private SaslAuthentication sasl;

  @JsonPropertyDescription("TLS trust and client certificate; used with SSL and SASL_SSL.")
  private TlsSettings tls;

  public Protocol getProtocol() {
    return protocol;
  }

  public void setProtocol(Protocol protocol) {
    this.protocol = protocol;
  }

  public SaslAuthentication getSasl() {
    return sasl;
  }

  public void setSasl(SaslAuthentication sasl) {
    this.sasl = sasl;
  }

  public TlsSettings getTls() {
    return tls;
  }

  public void setTls(TlsSettings tls) {
    this.tls = tls;
  }
}
