package io.reducer.workloads.materializer;

import io.reducer.workloads.cli.ConfigException;
import java.util.regex.Pattern;

/**
 * The Kubernetes namespace a materializer or reset acts for: part of the watermark key and of a table's owner. The
 * operator passes the Projection's namespace; by hand the default is {@link #DEFAULT}, kubectl's default namespace.
 */
public final class Namespaces {

  public static final String DEFAULT = "default";
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  private Namespaces() {
  }

  /** Refuses what cannot be a Kubernetes namespace (an RFC 1123 label), naming the flag and variable to fix. */
  public static String check(String flag, String variable, String namespace) throws ConfigException {
    if (!DNS_LABEL.matcher(namespace).matches()) {
      throw new ConfigException("invalid " + flag + " '" + namespace + "': a Kubernetes namespace (lower-case "
          + "letters, digits and -, at most 63 characters, starting and ending with a letter or digit); fix " + flag
          + " or " + variable);
    }
    return namespace;
  }
}
