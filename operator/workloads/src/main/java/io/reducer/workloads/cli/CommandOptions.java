package io.reducer.workloads.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The options of one workloads command: each is a flag or, when the flag is absent, an environment variable (the
 * form a Kubernetes pod uses), with a default or required. Parsing reports the first problem with a message that
 * names the fix; passwords are refused as flags so that no secret appears in a process listing.
 *
 * @param <E> the command's configuration exception
 */
public final class CommandOptions<E extends Exception> {

  /** How an option's values are given. */
  public enum Kind {
    /** One value; the flag at most once. */
    SINGLE,
    /** true or false; the bare flag means true. */
    SWITCH,
    /** Comma-separated values; the flag may be repeated. */
    LIST,
    /** One whole value per flag, never split; the variable holds a JSON array of strings. */
    REPEATED
  }

  /** One option: flag, environment variable, default (null = required, "" = none), description, kind. */
  public record Option(String flag, String variable, String defaultValue, String description, Kind kind) {

    /** A single-valued option. */
    public Option(String flag, String variable, String defaultValue, String description) {
      this(flag, variable, defaultValue, description, Kind.SINGLE);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String usageLine;
  private final List<Option> options;
  private final Function<String, E> error;

  public CommandOptions(String usageLine, List<Option> options, Function<String, E> error) {
    this.usageLine = usageLine;
    this.options = List.copyOf(options);
    this.error = error;
  }

  public List<Option> options() {
    return options;
  }

  public String usage() {
    StringBuilder text = new StringBuilder(usageLine).append("\n\noptions (flag, or environment variable):\n");
    for (Option option : options) {
      text.append(String.format("  %-28s %-34s %s%s%n", option.flag(), option.variable(), option.description(),
          option.defaultValue() == null ? " (required)"
              : option.defaultValue().isEmpty() || option.kind() == Kind.SWITCH ? ""
                  : " (default " + option.defaultValue() + ")"));
    }
    return text.toString();
  }

  /**
   * The last value of one flag ({@code --flag value} or {@code --flag=value}), else {@code fallback}, read without
   * parsing the other arguments: for what a command still needs after its options failed to parse.
   */
  public static String rawValue(List<String> args, String flag, String fallback) {
    String value = fallback;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith(flag + "=")) {
        value = arg.substring(flag.length() + 1);
      } else if (arg.equals(flag) && i + 1 < args.size()) {
        value = args.get(i + 1);
      }
    }
    return value;
  }

  /** The value {@code args} give one option's flag, else {@code fallback}; throws when the arguments do not parse. */
  public String flagValue(List<String> args, Option option, String fallback) throws E {
    List<String> given = flags(args).get(option.flag());
    return given == null ? fallback : given.get(given.size() - 1);
  }

  /**
   * The value of every option, from its flag, else its variable, else its default; trimmed. List options are split
   * on commas; a repeated option's variable is a JSON array of strings.
   */
  public Values parse(List<String> args, Map<String, String> env) throws E {
    Map<String, List<String>> flags = flags(args);
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, List<String>> lists = new HashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (Option option : options) {
      boolean fromFlag = flags.containsKey(option.flag());
      String variable = env.get(option.variable());
      List<String> given = fromFlag ? flags.get(option.flag())
          : variable == null || variable.isBlank() ? List.of() : List.of(variable);
      List<String> items = items(option, given, fromFlag);
      if (items.isEmpty()) {
        if (option.defaultValue() == null) {
          throw error.apply("missing " + option.flag() + ": pass " + option.flag() + " <value> or set "
              + option.variable());
        }
        items = option.defaultValue().isEmpty() ? List.of() : List.of(option.defaultValue());
      } else {
        sources.put(option.flag(), fromFlag ? option.flag() : option.variable());
      }
      values.put(option.flag(), items.isEmpty() ? "" : String.join(",", items));
      lists.put(option.flag(), items);
    }
    return new Values(values, lists, sources);
  }

  private List<String> items(Option option, List<String> given, boolean fromFlag) throws E {
    List<String> items = new ArrayList<>();
    for (String value : given) {
      if (option.kind() == Kind.REPEATED) {
        items.addAll(fromFlag ? List.of(value) : jsonStrings(option.variable(), value));
      } else if (option.kind() == Kind.LIST) {
        for (String item : value.split(",")) {
          if (!item.isBlank()) {
            items.add(item.trim());
          }
        }
      } else if (!value.isBlank()) {
        items.add(value.trim());
      }
    }
    return items;
  }

  /** A JSON array of strings, as a repeated option's variable holds it; empty strings are dropped. */
  private List<String> jsonStrings(String variable, String json) throws E {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw error.apply(variable + " is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isArray()) {
      throw error.apply(variable + " must be a JSON array of strings, e.g. [\"a,b\",\"c\"]");
    }
    List<String> strings = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw error.apply(variable + " must be a JSON array of strings, found " + item.getNodeType());
      }
      if (!item.asText().isEmpty()) {
        strings.add(item.asText());
      }
    }
    return strings;
  }

  private Map<String, List<String>> flags(List<String> args) throws E {
    Map<String, List<String>> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (name.equals("--password") || name.equals("--db-password")) {
        throw error.apply("passwords are not accepted as flags: set PGPASSWORD in the environment");
      }
      Option option = options.stream().filter(o -> o.flag().equals(name)).findFirst().orElse(null);
      if (option == null && name.equals("--db-user")) {
        throw error.apply("credentials are not accepted as flags: set PGUSER and PGPASSWORD in the environment");
      }
      if (option == null) {
        throw error.apply("unknown option: " + name + " (see --help)");
      }
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (option.kind() == Kind.SWITCH) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw error.apply("option " + name + " needs a value");
      }
      boolean many = option.kind() == Kind.LIST || option.kind() == Kind.REPEATED;
      if (flags.containsKey(name) && !many) {
        throw error.apply("option " + name + " is given twice");
      }
      flags.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return flags;
  }

  /** Parsed values with typed, bounded accessors. */
  public final class Values {

    private final Map<String, String> values;
    private final Map<String, List<String>> lists;
    private final Map<String, String> sources;

    private Values(Map<String, String> values, Map<String, List<String>> lists, Map<String, String> sources) {
      this.values = values;
      this.lists = lists;
      this.sources = sources;
    }

    /** The values of an option: a list option's items, else its one value; empty when it has none. */
    public List<String> list(Option option) {
      return lists.get(option.flag());
    }

    /** Where an option's value came from (its flag or its variable); null when it has its default. */
    public String source(Option option) {
      return sources.get(option.flag());
    }

    public String text(String flag) {
      String value = values.get(flag);
      if (value == null) {
        throw new IllegalArgumentException("no option " + flag);
      }
      return value;
    }

    public String text(Option option) {
      return text(option.flag());
    }

    public int integer(Option option, int min, int max) throws E {
      return integer(option.flag(), min, max);
    }

    public boolean bool(Option option) throws E {
      return bool(option.flag());
    }

    public int integer(String flag, int min, int max) throws E {
      long value = longValue(flag, min, max);
      return (int) value;
    }

    public long longValue(String flag, long min, long max) throws E {
      String text = text(flag);
      long value;
      try {
        value = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw error.apply(flag + " must be an integer, got '" + text + "'");
      }
      if (value < min || value > max) {
        throw error.apply(flag + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    }

    public boolean bool(String flag) throws E {
      String text = text(flag);
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
      throw error.apply(flag + " must be true or false, got '" + text + "'");
    }
  }
}
