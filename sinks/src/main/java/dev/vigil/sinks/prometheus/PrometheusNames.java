package dev.vigil.sinks.prometheus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenTelemetry → Prometheus name normalisation, as the OpenTelemetry specification "Prometheus and
 * OpenMetrics Compatibility" and the Collector's {@code pkg/translator/prometheus} do it.
 *
 * <ul>
 *   <li>Every character outside {@code [a-zA-Z0-9_:]} becomes {@code _}; runs of {@code _} collapse
 *       and leading/trailing ones go ({@code http.server.request.duration} → {@code
 *       http_server_request_duration}); a leading digit gets a {@code _} prefix.
 *   <li>A UCUM unit is appended in Prometheus words unless the name already ends with it ({@code
 *       ms} → {@code _milliseconds}, {@code By} → {@code _bytes}, {@code s} → {@code _seconds});
 *       {@code {annotations}} are dropped; {@code a/b} becomes {@code a_per_b}; {@code 1} becomes
 *       {@code _ratio} for gauges and nothing otherwise.
 *   <li>Monotonic counters end in {@code _total}.
 *   <li>Label names: illegal characters become {@code _}; a leading digit gets {@code key_}; a
 *       leading {@code __} (reserved for Prometheus) gets {@code key}.
 * </ul>
 */
public final class PrometheusNames {
  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y",
          "year");

  private PrometheusNames() {}

  /** The kind of OpenTelemetry instrument a name belongs to, as far as naming cares. */
  public enum Kind {
    /** A monotonic sum: gets {@code _total}. */
    COUNTER,
    /** A gauge: unit {@code 1} becomes {@code _ratio}. */
    GAUGE,
    /** Anything else (histograms, summaries, non-monotonic sums). */
    OTHER
  }

  /**
   * The Prometheus name of an OpenTelemetry metric.
   *
   * @param name OpenTelemetry name, e.g. {@code http.server.request.duration}
   * @param unit UCUM unit, e.g. {@code ms}; null or empty for none
   */
  public static String metricName(String name, String unit, Kind kind) {
    List<String> tokens = new ArrayList<>(tokens(name));
    if (kind == Kind.COUNTER) {
      tokens.removeIf("total"::equals);
    }
    for (String suffix : unitSuffixes(unit, kind)) {
      String current = String.join("_", tokens);
      if (!current.equals(suffix) && !current.endsWith("_" + suffix)) {
        tokens.addAll(tokens(suffix));
      }
    }
    if (kind == Kind.COUNTER) {
      tokens.add("total");
    }
    String joined = String.join("_", tokens);
    if (joined.isEmpty()) {
      return "_";
    }
    return Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
  }

  /** A label name that Prometheus accepts. */
  public static String labelName(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(isLabelChar(c) ? c : '_');
    }
    String sanitized = out.toString();
    if (sanitized.isEmpty()) {
      return "key_empty";
    }
    if (Character.isDigit(sanitized.charAt(0))) {
      return "key_" + sanitized;
    }
    if (sanitized.startsWith("__")) {
      return "key" + sanitized;
    }
    return sanitized;
  }

  private static List<String> unitSuffixes(String unit, Kind kind) {
    if (unit == null || unit.isBlank()) {
      return List.of();
    }
    String trimmed = unit.replaceAll("\\{[^}]*}", "").trim();
    if (trimmed.isEmpty()) {
      return List.of();
    }
    if (trimmed.equals("1")) {
      return kind == Kind.GAUGE ? List.of("ratio") : List.of();
    }
    int slash = trimmed.indexOf('/');
    if (slash >= 0) {
      String main = trimmed.substring(0, slash).trim();
      String per = trimmed.substring(slash + 1).trim();
      List<String> parts = new ArrayList<>();
      if (!main.isEmpty() && !main.equals("1")) {
        parts.add(unitWord(main, UNITS));
      }
      if (!per.isEmpty()) {
        parts.add("per_" + unitWord(per, PER_UNITS));
      }
      return parts;
    }
    return List.of(unitWord(trimmed, UNITS));
  }

  private static String unitWord(String unit, Map<String, String> words) {
    String word = words.get(unit);
    return word != null ? word : String.join("_", tokens(unit)).toLowerCase(Locale.ROOT);
  }

  private static List<String> tokens(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(isMetricChar(c) ? c : '_');
    }
    return Arrays.stream(out.toString().split("_+")).filter(t -> !t.isEmpty()).toList();
  }

  private static boolean isMetricChar(char c) {
    return isLabelChar(c) || c == ':';
  }

  private static boolean isLabelChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
