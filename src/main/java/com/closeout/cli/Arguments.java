package com.closeout.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's arguments after its name: positionals, flags ({@code --json}) and options with a
 * value ({@code --cases 50} or {@code --cases=50}). Anything the command did not declare is a usage
 * error, so a typo never passes silently; {@code --} ends the options.
 */
public final class Arguments {

  private final List<String> positionals;
  private final Set<String> flags;
  private final Map<String, String> options;

  private Arguments(List<String> positionals, Set<String> flags, Map<String, String> options) {
    this.positionals = List.copyOf(positionals);
    this.flags = Set.copyOf(flags);
    this.options = Map.copyOf(options);
  }

  public static Arguments parse(List<String> raw, Set<String> flagNames, Set<String> optionNames)
      throws UsageException {
    List<String> positionals = new ArrayList<>();
    Set<String> flags = new HashSet<>();
    Map<String, String> options = new HashMap<>();
    boolean optionsEnded = false;
    for (int i = 0; i < raw.size(); i++) {
      String arg = raw.get(i);
      if (optionsEnded || !arg.startsWith("--") || arg.length() == 2) {
        if (arg.equals("--") && !optionsEnded) {
          optionsEnded = true;
        } else {
          positionals.add(arg);
        }
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      if (flagNames.contains(name)) {
        if (equals >= 0) {
          throw new UsageException(name + " takes no value");
        }
        if (!flags.add(name)) {
          throw new UsageException(name + " given twice");
        }
      } else if (optionNames.contains(name)) {
        String value;
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < raw.size()) {
          value = raw.get(++i);
        } else {
          throw new UsageException(name + " needs a value");
        }
        if (options.putIfAbsent(name, value) != null) {
          throw new UsageException(name + " given twice");
        }
      } else {
        throw new UsageException("unknown option " + name);
      }
    }
    return new Arguments(positionals, flags, options);
  }

  public List<String> positionals() {
    return positionals;
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** An option that must be a whole number of at least {@code min}, or its default. */
  public long longOption(String name, long defaultValue, long min) throws UsageException {
    Optional<String> value = option(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    return parseLong(name, value.get(), min);
  }

  public static long parseLong(String what, String text, long min) throws UsageException {
    long parsed;
    try {
      parsed = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(what + " must be a whole number, not '" + text + "'");
    }
    if (parsed < min) {
      throw new UsageException(what + " must be at least " + min);
    }
    return parsed;
  }

  /** Fails unless there are exactly {@code count} positionals, naming them in the message. */
  public void expectPositionals(int count, String names) throws UsageException {
    if (positionals.size() < count) {
      throw new UsageException("missing " + names);
    }
    if (positionals.size() > count) {
      throw new UsageException("unexpected argument '" + positionals.get(count) + "'");
    }
  }
}
