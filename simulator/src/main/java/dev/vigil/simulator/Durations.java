package dev.vigil.simulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in flags and scenario files: {@code 90s}, {@code 5m}, {@code
 * 1h30m}, ISO-8601.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private Durations() {}

  /**
   * Parses {@code 2h}, {@code 1h30m}, {@code 45s} or ISO-8601 ({@code PT5M}).
   *
   * @throws IllegalArgumentException naming the text when it is none of those
   */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    if (!t.isEmpty() && m.matches()) {
      return Duration.ofHours(number(m.group(1)))
          .plusMinutes(number(m.group(2)))
          .plusSeconds(number(m.group(3)));
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (e.g. 90s, 5m, 1h30m or PT5M)", e);
    }
  }

  /** {@code 1h30m}, {@code 45s}, {@code 0s}. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    StringBuilder sb = new StringBuilder();
    if (s >= 3600) {
      sb.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      sb.append(s % 3600 / 60).append('m');
    }
    if (s % 60 != 0 || sb.length() == 0) {
      sb.append(s % 60).append('s');
    }
    return sb.toString();
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }
}
