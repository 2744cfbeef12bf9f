package dev.vigil.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} command-line arguments the end-to-end harnesses take. */
public final class KeyValueArgs {
  private KeyValueArgs() {}

  /**
   * The arguments as a map, in their order.
   *
   * @throws IllegalArgumentException naming an argument without {@code =}
   */
  public static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
      }
      opts.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return opts;
  }
}
