package io.reducer.workloads.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.cli.CommandOptions.Kind;
import io.reducer.workloads.cli.CommandOptions.Option;

/** The shared flag/environment parser of every workloads command, through a small made-up command. */
class CommandOptionsTest {

  /** The made-up command's configuration error. */
  static final class TestConfigException extends Exception {

    TestConfigException(String message) {
      super(message);
    }
  }

  private static final CommandOptions<TestConfigException> OPTIONS = new CommandOptions<>("usage: test [options]",
      List.of(
          new Option("--name", "TEST_NAME", null, "the name"),
          new Option("--count", "TEST_COUNT", "5", "how many"),
          new Option("--enabled", "TEST_ENABLED", "true", "on or off"),
          new Option("--big", "TEST_BIG", "0", "a long"),
          new Option("--extra", "TEST_EXTRA", "", "optional, no default"),
          new Option("--force", "TEST_FORCE", "false", "a switch", Kind.SWITCH),
          new Option("--tags", "TEST_TAGS", "", "comma-separated", Kind.LIST),
          new Option("--id", "TEST_IDS_JSON", "", "one whole value per flag", Kind.REPEATED)),
      TestConfigException::new);

  private static CommandOptions<TestConfigException>.Values parse(List<String> args, Map<String, String> env)
      throws TestConfigException {
    return OPTIONS.parse(args, env);
  }

  private static CommandOptions<TestConfigException>.Values parse(String... args) throws TestConfigException {
    return OPTIONS.parse(List.of(args), Map.of("TEST_NAME", "from-env"));
  }

  @Test
  void defaultsApplyWhenNeitherFlagNorVariableIsSet() throws Exception {
    CommandOptions<TestConfigException>.Values values = parse();
    assertThat(values.text("--name")).isEqualTo("from-env");
    assertThat(values.integer("--count", 1, 10)).isEqualTo(5);
    assertThat(values.bool("--enabled")).isTrue();
    assertThat(values.text("--extra")).isEmpty();
  }

  @Test
  void aRequiredOptionNamesItsFlagAndVariable() {
    assertThatThrownBy(() -> parse(List.of(), Map.of()))
        .isInstanceOf(TestConfigException.class)
        .hasMessage("missing --name: pass --name <value> or set TEST_NAME");
    assertThatThrownBy(() -> parse(List.of(), Map.of("TEST_NAME", "   ")))
        .as("a blank variable counts as unset")
        .isInstanceOf(TestConfigException.class).hasMessageContaining("TEST_NAME");
  }

  @Test
  void flagsWinOverVariablesAndValuesAreTrimmed() throws Exception {
    Map<String, String> env = Map.of("TEST_NAME", " env-name ", "TEST_COUNT", " 7 ", "TEST_EXTRA", "env-extra");
    CommandOptions<TestConfigException>.Values fromEnv = parse(List.of(), env);
    assertThat(fromEnv.text("--name")).isEqualTo("env-name");
    assertThat(fromEnv.integer("--count", 1, 10)).isEqualTo(7);
    assertThat(fromEnv.text("--extra")).isEqualTo("env-extra");

    CommandOptions<TestConfigException>.Values fromFlags =
        parse(List.of("--name", "flag-name", "--count=3", "--extra=a=b"), env);
    assertThat(fromFlags.text("--name")).isEqualTo("flag-name");
    assertThat(fromFlags.integer("--count", 1, 10)).isEqualTo(3);
    assertThat(fromFlags.text("--extra")).as("only the first '=' separates name and value").isEqualTo("a=b");
  }

  @Test
  void boolAcceptsTrueAndFalseOnly() throws Exception {
    assertThat(parse("--enabled", "true").bool("--enabled")).isTrue();
    assertThat(parse("--enabled", "false").bool("--enabled")).isFalse();
    assertThat(parse("--enabled=false").bool("--enabled")).isFalse();
    for (String bad : List.of("yes", "no", "1", "0", "on", "enabled")) {
      CommandOptions<TestConfigException>.Values values = parse("--enabled", bad);
      assertThatThrownBy(() -> values.bool("--enabled"))
          .isInstanceOf(TestConfigException.class)
          .hasMessage("--enabled must be true or false, got '" + bad + "'");
    }
  }

  @Test
  void integersAreBoundedInclusively() throws Exception {
    assertThat(parse("--count", "1").integer("--count", 1, 10)).isEqualTo(1);
    assertThat(parse("--count", "10").integer("--count", 1, 10)).isEqualTo(10);
    assertThat(parse("--count", "-1").integer("--count", -1, 10)).isEqualTo(-1);
    CommandOptions<TestConfigException>.Values low = parse("--count", "0");
    assertThatThrownBy(() -> low.integer("--count", 1, 10))
        .isInstanceOf(TestConfigException.class).hasMessage("--count must be between 1 and 10, got 0");
    CommandOptions<TestConfigException>.Values high = parse("--count", "11");
    assertThatThrownBy(() -> high.integer("--count", 1, 10))
        .isInstanceOf(TestConfigException.class).hasMessage("--count must be between 1 and 10, got 11");
    CommandOptions<TestConfigException>.Values beyondInt = parse("--count", "4294967297");
    assertThatThrownBy(() -> beyondInt.integer("--count", 1, Integer.MAX_VALUE))
        .as("a value beyond int must not wrap around into the range")
        .isInstanceOf(TestConfigException.class).hasMessageContaining("--count must be between");
  }

  @Test
  void nonIntegersNameTheFlagAndTheValue() throws Exception {
    for (String bad : List.of("many", "1.5", "10ms", "0x10", "1e3")) {
      CommandOptions<TestConfigException>.Values values = parse("--count", bad);
      assertThatThrownBy(() -> values.integer("--count", 0, 100))
          .isInstanceOf(TestConfigException.class)
          .hasMessage("--count must be an integer, got '" + bad + "'");
    }
    CommandOptions<TestConfigException>.Values overflow = parse("--big", "9223372036854775808");
    assertThatThrownBy(() -> overflow.longValue("--big", 0, Long.MAX_VALUE))
        .isInstanceOf(TestConfigException.class).hasMessageContaining("--big must be an integer");
    assertThat(parse("--big", "9223372036854775807").longValue("--big", 0, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aFlagWithoutAValueIsRefused() {
    assertThatThrownBy(() -> parse("--count"))
        .isInstanceOf(TestConfigException.class).hasMessage("option --count needs a value");
    assertThatThrownBy(() -> parse("--name", "x", "--extra"))
        .isInstanceOf(TestConfigException.class).hasMessage("option --extra needs a value");
  }

  @Test
  void unknownOptionsAndPasswordFlagsAreRefused() {
    assertThatThrownBy(() -> parse("--bogus", "1"))
        .isInstanceOf(TestConfigException.class).hasMessageContaining("unknown option: --bogus");
    assertThatThrownBy(() -> parse("stray"))
        .isInstanceOf(TestConfigException.class).hasMessageContaining("unknown option: stray");
    for (List<String> args : List.of(List.of("--password", "hunter2"), List.of("--db-password=hunter2"))) {
      assertThatThrownBy(() -> parse(args, Map.of("TEST_NAME", "n")))
          .isInstanceOf(TestConfigException.class)
          .hasMessageContaining("PGPASSWORD")
          .hasMessageNotContaining("hunter2");
    }
  }

  @Test
  void textOfAnUndeclaredOptionIsAProgrammingError() throws Exception {
    CommandOptions<TestConfigException>.Values values = parse();
    assertThatThrownBy(() -> values.text("--nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void usageMarksRequiredOptionsAndShowsDefaults() {
    String usage = OPTIONS.usage();
    assertThat(usage).startsWith("usage: test [options]");
    assertThat(usage.lines().filter(line -> line.contains("--name")).findFirst().orElseThrow())
        .contains("TEST_NAME").contains("the name").endsWith("(required)");
    assertThat(usage.lines().filter(line -> line.contains("--count")).findFirst().orElseThrow())
        .contains("TEST_COUNT").endsWith("(default 5)");
    assertThat(usage.lines().filter(line -> line.contains("--extra")).findFirst().orElseThrow())
        .contains("TEST_EXTRA").doesNotContain("(default").doesNotContain("(required)");
  }

  @Test
  void aSwitchNeedsNoValueAndASingleOptionIsGivenOnce() throws Exception {
    assertThat(parse("--force").bool("--force")).isTrue();
    assertThat(parse().bool("--force")).isFalse();
    assertThat(parse("--force=false").bool("--force")).isFalse();
    assertThatThrownBy(() -> parse("--count", "1", "--count", "2"))
        .isInstanceOf(TestConfigException.class).hasMessage("option --count is given twice");
  }

  @Test
  void listsSplitOnCommasAndRepeatedOptionsKeepEachValueWhole() throws Exception {
    CommandOptions<TestConfigException>.Values values = parse("--tags", "a, b", "--tags=c", "--id", "x,y",
        "--id", "z");
    Option tags = OPTIONS.options().get(6);
    Option ids = OPTIONS.options().get(7);
    assertThat(values.list(tags)).containsExactly("a", "b", "c");
    assertThat(values.list(ids)).containsExactly("x,y", "z");
    assertThat(parse(List.of(), Map.of("TEST_NAME", "n", "TEST_IDS_JSON", "[\"x,y\",\"z\"]")).list(ids))
        .containsExactly("x,y", "z");
    assertThatThrownBy(() -> parse(List.of(), Map.of("TEST_NAME", "n", "TEST_IDS_JSON", "x,y")))
        .isInstanceOf(TestConfigException.class).hasMessageContaining("TEST_IDS_JSON is not JSON");
  }
}
