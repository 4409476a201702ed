package io.reducer.controller.postgres;

/** Where and as whom the operator connects to a pipeline database. */
public final class DatabaseLogin {

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String target;

  public DatabaseLogin(String jdbcUrl, String user, String password, String target) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.target = target;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** host:port/database, for messages; never contains the password. */
  public String target() {
    return target;
  }

  @Override
  public String toString() {
    return user + "@" + target;
  }
}
