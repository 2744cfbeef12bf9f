package dev.vigil.sinks.prometheus;

import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.ForecastPoint;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which Prometheus series a signal window or a forecast becomes.
 *
 * <p>The base name is the OpenTelemetry → Prometheus name of the signal ({@link PrometheusNames}:
 * unit suffix, {@code _total} for counters, {@code _ratio} for unit-1 gauges). Every series is a
 * statistic of one closed 1-minute event-time window, so it is named like a Prometheus recording
 * rule, {@code <base>:<statistic>}, and stamped with the window's end:
 *
 * <ul>
 *   <li>{@code :count1m} points, spans or log records in the window; {@code :sum1m} their sum;
 *   <li>{@code :min1m}, {@code :max1m}, {@code :last1m} when the window has them;
 *   <li>{@code :quantile1m{quantile="0.5|0.9|0.95|0.99"}} when it has quantiles;
 *   <li>{@code :rate1m} per second, when it has a rate (counters, call counts);
 *   <li>{@code :errors1m} failed calls, for latency, traffic and error signals.
 * </ul>
 *
 * <p>A forecast becomes {@code <signal>:forecast_mean}, {@code :forecast_lo} and {@code
 * :forecast_hi} with a {@code horizon} label (e.g. {@code 15m}), one sample per configured horizon,
 * stamped with the forecast's origin: "at origin, the value expected horizon later". Stamping the
 * origin (not the future point) keeps each series' timestamps increasing as forecasts roll forward.
 * Forecast records carry no unit, so their base name has no unit suffix.
 *
 * <p>Labels: {@code service}, every bounded dimension of the series key (names sanitised; one that
 * collides with a label set here gets an {@code attr_} prefix), and {@code team}, {@code tier},
 * {@code domain} from the enrichment when present.
 */
public final class SampleMapper {
  private static final Set<String> RESERVED =
      Set.of("service", "team", "tier", "domain", "quantile", "horizon", "__name__");
  private static final Set<SignalType> RED =
      Set.of(SignalType.LATENCY, SignalType.TRAFFIC, SignalType.ERRORS);

  private final List<Duration> forecastHorizons;

  /** A mapper writing forecast points at these horizons from their origin. */
  public SampleMapper(List<Duration> forecastHorizons) {
    this.forecastHorizons = List.copyOf(forecastHorizons);
  }

  /** The samples of one closed window of one series. */
  public List<Sample> samples(SeriesKey key, SignalWindow window) {
    String base = PrometheusNames.metricName(key.getSignal(), window.getUnit(), kind(window));
    Map<String, String> labels = labels(key);
    putIfPresent(labels, "team", window.getTeam());
    putIfPresent(labels, "tier", window.getTier() == null ? null : window.getTier().toString());
    putIfPresent(labels, "domain", window.getDomain());
    long at = window.getWindowEnd().toEpochMilli();
    List<Sample> out = new ArrayList<>(12);
    out.add(sample(base + ":count1m", labels, at, window.getCount()));
    out.add(sample(base + ":sum1m", labels, at, window.getSum()));
    addIfPresent(out, base + ":min1m", labels, at, window.getMin());
    addIfPresent(out, base + ":max1m", labels, at, window.getMax());
    addIfPresent(out, base + ":last1m", labels, at, window.getLast());
    addQuantile(out, base, labels, at, "0.5", window.getP50());
    addQuantile(out, base, labels, at, "0.9", window.getP90());
    addQuantile(out, base, labels, at, "0.95", window.getP95());
    addQuantile(out, base, labels, at, "0.99", window.getP99());
    addIfPresent(out, base + ":trimmed_mean1m", labels, at, window.getTrimmedMean());
    addIfPresent(out, base + ":rate1m", labels, at, window.getRate());
    if (RED.contains(window.getType()) || window.getErrors() > 0) {
      out.add(sample(base + ":errors1m", labels, at, window.getErrors()));
    }
    return out;
  }

  /** The samples of one forecast: mean, lo and hi at each configured horizon it covers. */
  public List<Sample> samples(SeriesKey key, Forecast forecast) {
    String base = PrometheusNames.metricName(key.getSignal(), null, PrometheusNames.Kind.OTHER);
    long origin = forecast.getOrigin().toEpochMilli();
    Map<Long, ForecastPoint> byOffset = new HashMap<>();
    for (ForecastPoint point : forecast.getPoints()) {
      byOffset.put(point.getTimestamp().toEpochMilli() - origin, point);
    }
    List<Sample> out = new ArrayList<>();
    for (Duration horizon : forecastHorizons) {
      ForecastPoint point = byOffset.get(horizon.toMillis());
      if (point == null) {
        continue;
      }
      Map<String, String> labels = labels(key);
      labels.put("horizon", horizon.toMinutes() + "m");
      out.add(sample(base + ":forecast_mean", labels, origin, point.getMean()));
      out.add(sample(base + ":forecast_lo", labels, origin, point.getLo()));
      out.add(sample(base + ":forecast_hi", labels, origin, point.getHi()));
    }
    return out;
  }

  private static PrometheusNames.Kind kind(SignalWindow window) {
    return switch (window.getType()) {
      case COUNTER -> PrometheusNames.Kind.COUNTER;
      case GAUGE, SATURATION -> PrometheusNames.Kind.GAUGE;
      default -> PrometheusNames.Kind.OTHER;
    };
  }

  private static Map<String, String> labels(SeriesKey key) {
    Map<String, String> labels = new HashMap<>();
    for (Attribute dim : key.getDims()) {
      String name = PrometheusNames.labelName(dim.getKey());
      labels.put(RESERVED.contains(name) ? "attr_" + name : name, String.valueOf(dim.getValue()));
    }
    labels.put("service", key.getService());
    return labels;
  }

  private static void putIfPresent(Map<String, String> labels, String name, String value) {
    if (value != null) {
      labels.put(name, value);
    }
  }

  private static void addIfPresent(
      List<Sample> out, String name, Map<String, String> labels, long at, Double value) {
    if (value != null) {
      out.add(sample(name, labels, at, value));
    }
  }

  private static void addQuantile(
      List<Sample> out,
      String base,
      Map<String, String> labels,
      long at,
      String quantile,
      Double value) {
    if (value != null) {
      Map<String, String> withQuantile = new HashMap<>(labels);
      withQuantile.put("quantile", quantile);
      out.add(sample(base + ":quantile1m", withQuantile, at, value));
    }
  }

  private static Sample sample(String name, Map<String, String> labels, long at, double value) {
    return new Sample(new SeriesId(name, labels), at, value);
  }
}
