package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's PrometheusRule checked by the real Prometheus tool: {@code promtool check rules} on its rule groups, and
 * {@code promtool test rules} with the input series of src/test/resources/promtool/alerts-test.yaml, where every
 * alert fires in one case and stays silent in another.
 */
class PrometheusRuleTest {

  private static final String PROMTOOL = System.getProperty("promtool", "promtool");
  private static final Pattern LABEL = Pattern.compile("\\{\\{\\s*\\$labels\\.(\\w+)\\s*}}");
  private static final Pattern VALUE = Pattern.compile("\\{\\{\\s*\\$value\\s*}}");

  @TempDir
  Path dir;

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Monitoring.YAML.writeValue(rules.toFile(), Monitoring.ruleFile());

    String out = promtool("check", "rules", rules.toString());

    assertThat(out).contains("SUCCESS: " + Monitoring.alerts().size() + " rules found");
  }

  @Test
  void everyAlertFiresOnItsInputAndStaysSilentOtherwise() throws Exception {
    Map<String, Map<String, Object>> alerts = Monitoring.alerts();
    Monitoring.YAML.writeValue(dir.resolve("rules.yaml").toFile(), Monitoring.ruleFile());
    Map<String, Object> tests = withAnnotations(spec(), alerts);
    Path testFile = dir.resolve("alerts-test.yaml");
    Monitoring.YAML.writeValue(testFile.toFile(), tests);

    promtool("test", "rules", testFile.toString());

    Set<String> firing = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (Map<String, Object> group : list(tests.get("tests"))) {
      for (Map<String, Object> test : list(group.get("alert_rule_test"))) {
        (list(test.get("exp_alerts")).isEmpty() ? silent : firing).add((String) test.get("alertname"));
      }
    }
    assertThat(firing).as("alerts with a case where they fire").containsAll(alerts.keySet());
    assertThat(silent).as("alerts with a case where they stay silent").containsAll(alerts.keySet());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec() throws IOException {
    try (InputStream in = PrometheusRuleTest.class.getResourceAsStream("/promtool/alerts-test.yaml")) {
      return Monitoring.YAML.readValue(in, Map.class);
    }
  }

  /** Replaces each expected alert's {@code value} by exp_annotations: the rule's templates rendered. */
  private static Map<String, Object> withAnnotations(Map<String, Object> tests,
      Map<String, Map<String, Object>> alerts) {
    for (Map<String, Object> group : list(tests.get("tests"))) {
      for (Map<String, Object> test : list(group.get("alert_rule_test"))) {
        Map<String, Object> rule = alerts.get((String) test.get("alertname"));
        assertThat(rule).as("rule of test case %s", test.get("alertname")).isNotNull();
        for (Map<String, Object> expected : list(test.get("exp_alerts"))) {
          Object value = expected.remove("value");
          Map<String, String> annotations = new LinkedHashMap<>();
          map(rule.get("annotations")).forEach((key, template) -> annotations.put(key,
              render((String) template, map(expected.get("exp_labels")), value)));
          expected.put("exp_annotations", annotations);
        }
      }
    }
    return tests;
  }

  /** Prometheus' rendering of the two template forms the rules use, {{ $labels.name }} and {{ $value }}. */
  private static String render(String template, Map<String, Object> labels, Object value) {
    Matcher label = LABEL.matcher(template);
    StringBuilder out = new StringBuilder();
    while (label.find()) {
      Object found = labels.get(label.group(1));
      if (found == null) {
        throw new AssertionError("template uses label " + label.group(1) + " the expected alert lacks: " + template);
      }
      label.appendReplacement(out, Matcher.quoteReplacement(found.toString()));
    }
    label.appendTail(out);
    Matcher valueMatcher = VALUE.matcher(out);
    if (valueMatcher.find()) {
      if (value == null) {
        throw new AssertionError("template uses $value; give the expected alert a value: " + template);
      }
      double number = ((Number) value).doubleValue();
      String text = number == Math.rint(number) && Math.abs(number) < 1e6 ? Long.toString((long) number)
          : Double.toString(number);
      out = new StringBuilder(valueMatcher.replaceAll(Matcher.quoteReplacement(text)));
    }
    if (out.indexOf("{{") >= 0) {
      throw new AssertionError("template form this test cannot render: " + template);
    }
    return out.toString();
  }

  private String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(PROMTOOL);
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail("promtool (Prometheus' rule checker) is not installed: " + e.getMessage()
          + ". Install it with `apt-get install -y prometheus` (Debian/Ubuntu; .ci/run does), or put the promtool of a "
          + "Prometheus release on PATH, or pass -Dpromtool=/path/to/promtool");
    }
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("promtool did not finish within 60 s: " + out);
    }
    assertThat(process.exitValue()).withFailMessage("%s failed:%n%s", String.join(" ", command), out).isZero();
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }
}
