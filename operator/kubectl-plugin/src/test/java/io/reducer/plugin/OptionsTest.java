package io.reducer.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reducer.plugin.Options.Option;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static final List<Option> KNOWN = List.of(
      Option.value("--namespace", "NS", "namespace").withAlias("-n"),
      Option.value("--output", "FORMAT", "format").withAlias("-o"),
      Option.repeatable("--error-type", "TYPE", "error type"),
      Option.flag("--yes", "no question").withAlias("-y"));

  @Test
  void readsTheFormsKubectlAccepts() throws PluginException {
    Options options = Options.parse(KNOWN, List.of("wmr/x", "-n", "orders", "--output=json", "--error-type", "A",
        "--error-type=B", "-y", "--", "-dash"));

    assertThat(options.value("--namespace")).isEqualTo("orders");
    assertThat(options.value("--output")).isEqualTo("json");
    assertThat(options.values("--error-type")).containsExactly("A", "B");
    assertThat(options.has("--yes")).isTrue();
    assertThat(options.positional()).containsExactly("wmr/x", "-dash");
  }

  @Test
  void attachedShortValues() throws PluginException {
    Options options = Options.parse(KNOWN, List.of("-ojson", "-norders"));
    assertThat(options.value("--output")).isEqualTo("json");
    assertThat(options.value("--namespace")).isEqualTo("orders");
    assertThat(Options.parse(KNOWN, List.of("-n=orders")).value("--namespace")).isEqualTo("orders");
  }

  @Test
  void refusesWhatItDoesNotKnowOrGetsTwice() {
    assertThatThrownBy(() -> Options.parse(KNOWN, List.of("--bogus"))).hasMessage("unknown option --bogus");
    assertThatThrownBy(() -> Options.parse(KNOWN, List.of("-n", "a", "-n", "b")))
        .hasMessage("--namespace is given twice");
    assertThatThrownBy(() -> Options.parse(KNOWN, List.of("--output"))).hasMessage("--output needs a value (FORMAT)");
    assertThatThrownBy(() -> Options.parse(KNOWN, List.of("--yes=no"))).hasMessage("--yes takes no value");
    assertThatThrownBy(() -> Options.parse(KNOWN, List.of("-yx"))).hasMessage("unknown option -yx");
  }

  @Test
  void theCommandIsTheFirstArgumentThatIsNoGlobalOptionOrItsValue() {
    assertThat(Options.commandIndex(Main.GLOBAL, List.of("-n", "orders", "status", "x"))).isEqualTo(2);
    assertThat(Options.commandIndex(Main.GLOBAL, List.of("--context=prod", "approve"))).isEqualTo(1);
    assertThat(Options.commandIndex(Main.GLOBAL, List.of("--help"))).isEqualTo(-1);
  }
}
