package io.reducer.workloads.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The options of one workloads command: each is a flag or, when the flag is absent, an environment variable (the
 * form a Kubernetes pod uses), with a default or required. Parsing reports the first problem with a message that
 * names the fix; passwords are refused as flags so that no secret appears in a process listing.
 *
 * @param <E> the command's configuration exception
 */
public final class CommandOptions<E extends Exception> {

  /** One option: flag, environment variable, default (null = required, "" = none), description. */
  public record Option(String flag, String variable, String defaultValue, String description) {
  }

  private final String usageLine;
  private final List<Option> options;
  private final Set<Option> switches;
  private final Function<String, E> error;

  public CommandOptions(String usageLine, List<Option> options, Function<String, E> error) {
    this(usageLine, options, Set.of(), error);
  }

  /** @param switches options that, given as a bare flag ({@code --dry-run}), mean true */
  public CommandOptions(String usageLine, List<Option> options, Set<Option> switches, Function<String, E> error) {
    this.usageLine = usageLine;
    this.options = List.copyOf(options);
    this.switches = Set.copyOf(switches);
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
              : option.defaultValue().isEmpty() || switches.contains(option) ? ""
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
    return flags(args).getOrDefault(option.flag(), fallback);
  }

  /** The value of every option, from its flag, else its variable, else its default; trimmed. */
  public Values parse(List<String> args, Map<String, String> env) throws E {
    Map<String, String> flags = flags(args);
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (Option option : options) {
      boolean fromFlag = flags.containsKey(option.flag());
      String value = fromFlag ? flags.get(option.flag()) : env.get(option.variable());
      if (value == null || value.isBlank()) {
        if (option.defaultValue() == null) {
          throw error.apply("missing " + option.flag() + ": pass " + option.flag() + " <value> or set "
              + option.variable());
        }
        value = option.defaultValue();
      } else {
        sources.put(option.flag(), fromFlag ? option.flag() : option.variable());
      }
      values.put(option.flag(), value.trim());
    }
    return new Values(values, sources);
  }

  private Map<String, String> flags(List<String> args) throws E {
    Map<String, String> flags = new HashMap<>();
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
      if (arg.contains("=")) {
        flags.put(name, arg.substring(arg.indexOf('=') + 1));
      } else if (switches.contains(option)) {
        flags.put(name, "true");
      } else if (i + 1 < args.size()) {
        flags.put(name, args.get(++i));
      } else {
        throw error.apply("option " + name + " needs a value");
      }
    }
    return flags;
  }

  /** Parsed values with typed, bounded accessors. */
  public final class Values {

    private final Map<String, String> values;
    private final Map<String, String> sources;

    private Values(Map<String, String> values, Map<String, String> sources) {
      this.values = values;
      this.sources = sources;
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
