package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Patterns;

/** A Secret in the pipeline's namespace that holds the database login. */
public class PostgresCredentials {

  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the Secret, in the pipeline's namespace.")
  private String secretName;

  @Pattern(Patterns.SECRET_KEY)
  @Size(min = 1, max = 253)
  @Default("username")
  @JsonPropertyDescription("Key in the Secret holding the user name.")
  private String usernameKey = "username";

  @Pattern(Patterns.SECRET_KEY)
  @Size(min = 1, max = 253)
  @Default("password")
  @JsonPropertyDescription("Key in the Secret holding the password.")
  private String passwordKey = "password";

  public PostgresCredentials() {
  }

  public PostgresCredentials(String secretName) {
    this.secretName = secretName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getUsernameKey() {
    return usernameKey;
  }

  public void setUsernameKey(String usernameKey) {
    this.usernameKey = usernameKey;
  }

  public String getPasswordKey() {
    return passwordKey;
  }

  public void setPasswordKey(String passwordKey) {
    this.passwordKey = passwordKey;
  }
}
