package io.reducer.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's one option parser: {@code --name value}, {@code --name=value}, a short alias ({@code -n value},
 * {@code -n=value}), flags without a value, repeatable options, and {@code --} before positional arguments that
 * start with a dash. Options may come before or after the positional arguments, as with kubectl.
 */
public final class Options {

  /** One option: its long name, an optional short alias, whether it takes a value, its help line. */
  public record Option(String name, String alias, String valueName, boolean repeatable, String help) {

    public static Option flag(String name, String help) {
      return new Option(name, null, null, false, help);
    }

    public static Option value(String name, String valueName, String help) {
      return new Option(name, null, valueName, false, help);
    }

    public static Option repeatable(String name, String valueName, String help) {
      return new Option(name, null, valueName, true, help);
    }

    public Option withAlias(String shortAlias) {
      return new Option(name, shortAlias, valueName, repeatable, help);
    }

    boolean takesValue() {
      return valueName != null;
    }

    String synopsis() {
      String names = (alias == null ? "" : alias + ", ") + name;
      return valueName == null ? names : names + " " + valueName;
    }
  }

  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Options() {
  }

  public static Options parse(List<Option> known, List<String> args) throws PluginException {
    Options parsed = new Options();
    boolean onlyPositional = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (onlyPositional || !arg.startsWith("-") || arg.equals("-")) {
        parsed.positional.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        onlyPositional = true;
        continue;
      }
      Optional<Option> attached = attachedShort(known, arg);
      if (attached.isPresent()) {
        // -ojson, -norders: kubectl's short options with the value attached.
        parsed.add(attached.get(), arg.substring(2));
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      Option option = find(known, name).orElseThrow(() -> PluginException.usage("unknown option " + name));
      String value = null;
      if (option.takesValue()) {
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw PluginException.usage(option.name() + " needs a value (" + option.valueName() + ")");
        }
      } else if (equals >= 0) {
        throw PluginException.usage(option.name() + " takes no value");
      }
      parsed.add(option, value);
    }
    return parsed;
  }

  private void add(Option option, String value) throws PluginException {
    List<String> list = values.computeIfAbsent(option.name(), n -> new ArrayList<>());
    if (!option.repeatable() && !list.isEmpty()) {
      throw PluginException.usage(option.name() + " is given twice");
    }
    list.add(value);
  }

  private static Optional<Option> attachedShort(List<Option> known, String arg) {
    if (arg.startsWith("--") || arg.length() <= 2 || arg.charAt(2) == '=') {
      return Optional.empty();
    }
    return find(known, arg.substring(0, 2)).filter(Option::takesValue);
  }

  /**
   * The subcommand: the first argument that is neither an option of {@code global} nor the value of one, so that
   * {@code kubectl reducer -n orders status} works as kubectl's own global flags do.
   */
  static int commandIndex(List<Option> global, List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-")) {
        return i;
      }
      Optional<Option> option = find(global, arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
      if (option.isPresent() && option.get().takesValue() && !arg.contains("=")) {
        i++;
      }
    }
    return -1;
  }

  private static Optional<Option> find(List<Option> known, String name) {
    return known.stream().filter(o -> o.name().equals(name) || name.equals(o.alias())).findFirst();
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String value(String name) {
    List<String> list = values.get(name);
    return list == null ? null : list.get(0);
  }

  public String value(String name, String fallback) {
    String value = value(name);
    return value == null ? fallback : value;
  }

  public List<String> values(String name) {
    return values.getOrDefault(name, List.of());
  }

  public List<String> positional() {
    return positional;
  }

  /** The usage text of a list of options, one per line, aligned. */
  public static String describe(List<Option> options) {
    int width = options.stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
    StringBuilder text = new StringBuilder();
    for (Option option : options) {
      text.append(String.format("  %-" + width + "s  %s%s%n", option.synopsis(), option.help(),
          option.repeatable() ? " (repeatable)" : ""));
    }
    return text.toString();
  }
}
