package io.reducer.controller.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator's settings. Each comes from a flag ({@code --name value} or {@code --name=value}) or, when the
 * flag is absent, from an environment variable, else from its default. Invalid values stop the start with a
 * message that says what to change.
 */
public final class OperatorConfig {

  /** Flag, environment variable, default (null: none), description; the order of the usage text. */
  static final List<String[]> OPTIONS = List.of(
      new String[] {"--namespaces", "WATCH_NAMESPACES", null,
          "comma-separated namespaces to watch; empty: the operator's own namespace; '*': all namespaces"},
      new String[] {"--namespace", "OPERATOR_NAMESPACE", null,
          "the operator's own namespace (the Downward API sets it); read from the service account when absent"},
      new String[] {"--leader-election", "LEADER_ELECTION", "true",
          "true: only the holder of the Lease reconciles, so several replicas can run; false for one replica"},
      new String[] {"--lease-name", "LEADER_ELECTION_LEASE", "reducer-operator-lease",
          "name of the Lease in the operator's namespace"},
      new String[] {"--workloads-image", "WORKLOADS_IMAGE", "ghcr.io/reducer-io/reducer-workloads:0.1.0",
          "image of the materializers and recovery Jobs"},
      new String[] {"--allowed-registries", "ALLOWED_REGISTRIES", "",
          "comma-separated registry prefixes from which a resource may name another materializer image"},
      new String[] {"--probe-interval", "PROBE_INTERVAL", "5s",
          "how often each pipeline's Kafka offsets and watermarks are probed (e.g. 5s, 1m; 1s to 10m)"},
      new String[] {"--client-timeout", "CLIENT_TIMEOUT", "5s",
          "longest wait for one Kafka or PostgreSQL call before it counts as unreachable (1s to 2m)"},
      new String[] {"--http-port", "HTTP_PORT", "8081", "port of /healthz, /readyz and /metrics (0: any free port)"},
      new String[] {"--reconcile-threads", "RECONCILE_THREADS", "8", "concurrent reconciliations (1 to 100)"},
      new String[] {"--finished-history-limit", "FINISHED_HISTORY_LIMIT", "10",
          "finished WatermarkResets kept per projection and finished DlqReplays kept per pipeline; older ones "
              + "are deleted (0 to 1000)"});

  private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");
  static final String ALL_NAMESPACES = "*";

  private final Set<String> watchedNamespaces;
  private final String operatorNamespace;
  private final boolean leaderElection;
  private final String leaseName;
  private final String workloadsImage;
  private final List<String> allowedRegistries;
  private final Duration probeInterval;
  private final Duration clientTimeout;
  private final int httpPort;
  private final int reconcileThreads;
  private final int finishedHistoryLimit;

  private OperatorConfig(Map<String, String> values, String ownNamespace) throws OperatorConfigException {
    this.operatorNamespace = ownNamespace;
    this.watchedNamespaces = namespaces(values.get("--namespaces"), ownNamespace);
    this.leaderElection = bool(values, "--leader-election");
    this.leaseName = name(values, "--lease-name");
    this.workloadsImage = image(values.get("--workloads-image"));
    this.allowedRegistries = list(values.get("--allowed-registries"));
    this.probeInterval = duration(values, "--probe-interval", Duration.ofSeconds(1), Duration.ofMinutes(10));
    this.clientTimeout = duration(values, "--client-timeout", Duration.ofSeconds(1), Duration.ofMinutes(2));
    this.httpPort = integer(values, "--http-port", 0, 65535);
    this.reconcileThreads = integer(values, "--reconcile-threads", 1, 100);
    this.finishedHistoryLimit = integer(values, "--finished-history-limit", 0, 1000);
  }

  /**
   * @param serviceAccountNamespace the namespace file of the pod's service account, or null outside a pod
   */
  public static OperatorConfig parse(List<String> args, Map<String, String> env, String serviceAccountNamespace)
      throws OperatorConfigException {
    Map<String, String> flags = flags(args);
    Map<String, String> values = new LinkedHashMap<>();
    for (String[] option : OPTIONS) {
      String value = flags.containsKey(option[0]) ? flags.get(option[0]) : env.get(option[1]);
      values.put(option[0], value != null ? value.trim() : option[2]);
    }
    String own = values.get("--namespace");
    if (own == null || own.isEmpty()) {
      own = serviceAccountNamespace == null ? null : serviceAccountNamespace.trim();
    }
    if (own == null || own.isEmpty()) {
      throw new OperatorConfigException("the operator's namespace is unknown: set --namespace or OPERATOR_NAMESPACE "
          + "(in a pod, the Downward API field metadata.namespace)");
    }
    if (!NAMESPACE.matcher(own).matches()) {
      throw new OperatorConfigException("invalid --namespace / OPERATOR_NAMESPACE '" + own
          + "': a namespace is a DNS label (lower-case letters, digits and '-')");
    }
    return new OperatorConfig(values, own);
  }

  /** The environment variables the operator reads, one per setting, in the order of the usage text. */
  public static List<String> environmentVariables() {
    return OPTIONS.stream().map(o -> o[1]).collect(Collectors.toUnmodifiableList());
  }

  public static String usage() {
    StringBuilder text = new StringBuilder("usage: reducer-operator [options]\n\noptions (flag, or environment variable):\n");
    for (String[] option : OPTIONS) {
      text.append(String.format("  %-22s %-24s %s%s%n", option[0], option[1], option[3],
          option[2] == null || option[2].isEmpty() ? "" : " (default " + option[2] + ")"));
    }
    return text.toString();
  }

  /** Namespaces whose resources are reconciled; empty means all namespaces. */
  public Set<String> watchedNamespaces() {
    return watchedNamespaces;
  }

  public boolean watchesAllNamespaces() {
    return watchedNamespaces.isEmpty();
  }

  public String operatorNamespace() {
    return operatorNamespace;
  }

  public boolean leaderElection() {
    return leaderElection;
  }

  public String leaseName() {
    return leaseName;
  }

  public String workloadsImage() {
    return workloadsImage;
  }

  public List<String> allowedRegistries() {
    return allowedRegistries;
  }

  public Duration probeInterval() {
    return probeInterval;
  }

  public Duration clientTimeout() {
    return clientTimeout;
  }

  public int httpPort() {
    return httpPort;
  }

  public int reconcileThreads() {
    return reconcileThreads;
  }

  /** How many finished one-shot operations are kept per projection (resets) or pipeline (replays). */
  public int finishedHistoryLimit() {
    return finishedHistoryLimit;
  }

  private static Map<String, String> flags(List<String> args) throws OperatorConfigException {
    Map<String, String> flags = new LinkedHashMap<>();
    Set<String> known = new LinkedHashSet<>();
    OPTIONS.forEach(o -> known.add(o[0]));
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (!known.contains(name)) {
        throw new OperatorConfigException("unknown option '" + arg + "'\n" + usage());
      }
      if (arg.contains("=")) {
        flags.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.size()) {
        flags.put(name, args.get(++i));
      } else {
        throw new OperatorConfigException(name + " needs a value");
      }
    }
    return flags;
  }

  private static Set<String> namespaces(String text, String own) throws OperatorConfigException {
    if (text == null || text.isEmpty()) {
      return Set.of(own);
    }
    if (text.equals(ALL_NAMESPACES)) {
      return Set.of();
    }
    Set<String> result = new LinkedHashSet<>();
    for (String namespace : list(text)) {
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw new OperatorConfigException("invalid namespace '" + namespace + "' in --namespaces / WATCH_NAMESPACES: "
            + "use comma-separated DNS labels, or '*' for all namespaces");
      }
      result.add(namespace);
    }
    return Set.copyOf(result);
  }

  private static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    if (text != null) {
      Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
    }
    return List.copyOf(items);
  }

  private static boolean bool(Map<String, String> values, String flag) throws OperatorConfigException {
    String text = values.get(flag);
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new OperatorConfigException(flag + " / " + variable(flag) + " must be true or false, got '" + text + "'");
  }

  private static String name(Map<String, String> values, String flag) throws OperatorConfigException {
    String text = values.get(flag);
    if (!NAMESPACE.matcher(text).matches() || text.length() > 63) {
      throw new OperatorConfigException(flag + " / " + variable(flag) + " '" + text
          + "' is not a valid object name (lower-case letters, digits and '-', at most 63)");
    }
    return text;
  }

  private static String image(String text) throws OperatorConfigException {
    if (text == null || text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
      throw new OperatorConfigException("--workloads-image / WORKLOADS_IMAGE must name an image, e.g. "
          + "registry.example.com/reducer-workloads:0.1.0, got '" + text + "'");
    }
    return text;
  }

  static Duration duration(Map<String, String> values, String flag, Duration min, Duration max)
      throws OperatorConfigException {
    String text = values.get(flag);
    Duration value = parseDuration(text);
    if (value == null) {
      throw new OperatorConfigException(flag + " / " + variable(flag) + " must be a duration such as 500ms, 5s, 1m "
          + "or PT5S, got '" + text + "'");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new OperatorConfigException(flag + " / " + variable(flag) + " must be between " + min.toSeconds()
          + "s and " + max.toSeconds() + "s, got " + text);
    }
    return value;
  }

  private static Duration parseDuration(String text) {
    var matcher = DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      switch (matcher.group(2)) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        default:
          return Duration.ofHours(amount);
      }
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static int integer(Map<String, String> values, String flag, int min, int max)
      throws OperatorConfigException {
    String text = values.get(flag);
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new OperatorConfigException(flag + " / " + variable(flag) + " must be between " + min + " and " + max
            + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new OperatorConfigException(flag + " / " + variable(flag) + " must be an integer, got '" + text + "'");
    }
  }

  private static String variable(String flag) {
    return OPTIONS.stream().filter(o -> o[0].equals(flag)).map(o -> o[1]).findFirst().orElse("");
  }
}
