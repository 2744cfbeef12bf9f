package dev.vigil.rca.internal;

import dev.vigil.schemas.Alert;
import dev.vigil.schemas.Attribute;
import dev.vigil.schemas.Forecast;
import dev.vigil.schemas.ForecastPoint;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.ServiceInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The lifecycle of predictive alerts, one per series, in the same Alertmanager shape and topic as
 * the incident alerts: a forecast whose 80% upper bound reaches the series' threshold (a capacity
 * limit or the catalog SLO, carried by the forecast) within its horizon fires the alert; every
 * later crossing forecast updates it (the time left changes); the first forecast that no longer
 * crosses resolves it ({@code endsAt} = its origin). The fingerprint hashes the series, so every
 * version updates the same alert, and the labels never change while it is active.
 */
public final class PredictiveAlerts {
  /** The alertname label of every predictive alert: {@value}. */
  public static final String ALERT_NAME = "VigilPredictive";

  private final Function<String, ServiceInfo> catalog;

  /** A lifecycle with a catalog lookup (null for unknown services). */
  public PredictiveAlerts(Function<String, ServiceInfo> catalog) {
    this.catalog = catalog;
  }

  /** The stable fingerprint of a series' predictive alert. */
  public static String fingerprint(SeriesKey key) {
    StringBuilder id = new StringBuilder("predictive\0").append(key.getService());
    id.append('\0').append(key.getSignal());
    for (Attribute d : key.getDims()) {
      id.append('\0').append(d.getKey()).append('=').append(d.getValue());
    }
    return AlertFactory.fingerprint(id.toString());
  }

  /**
   * The alert a forecast leads to.
   *
   * @param activeSince when the series' alert fired, null if none is active
   * @return the alert to publish (fired, updated or resolved), or null if none
   */
  public Alert onForecast(SeriesKey key, Forecast forecast, Instant activeSince) {
    Crossing crossing = Crossing.of(forecast);
    if (crossing == null) {
      return activeSince == null ? null : alert(key, forecast, null, activeSince);
    }
    return alert(key, forecast, crossing, activeSince == null ? forecast.getOrigin() : activeSince);
  }

  private Alert alert(SeriesKey key, Forecast forecast, Crossing crossing, Instant startsAt) {
    ServiceInfo info = catalog.apply(key.getService());
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", ALERT_NAME);
    labels.put("severity", "warning");
    labels.put("service", key.getService());
    labels.put("signal", key.getSignal());
    labels.put("team", info == null || info.getTeam() == null ? "unknown" : info.getTeam());
    for (Attribute d : key.getDims()) {
      labels.putIfAbsent(d.getKey(), d.getValue());
    }
    Map<String, String> annotations = new TreeMap<>();
    annotations.put("summary", summary(key, forecast, crossing));
    annotations.put("description", description(forecast, crossing));
    if (info != null && info.getRunbookUrl() != null) {
      annotations.put("runbook_url", info.getRunbookUrl());
    }
    return Alert.newBuilder()
        .setLabels(labels)
        .setAnnotations(annotations)
        .setStartsAt(startsAt)
        .setEndsAt(crossing == null ? forecast.getOrigin() : null)
        .setGeneratorURL(null)
        .setFingerprint(fingerprint(key))
        .build();
  }

  /**
   * E.g. "disk on inventory-db full in ~42 min", "latency on checkout may breach its SLO in ~7
   * min".
   */
  static String summary(SeriesKey key, Forecast forecast, Crossing crossing) {
    String what = noun(key.getSignal()) + " on " + key.getService();
    boolean capacity = "capacity".equals(forecast.getThresholdSource());
    if (crossing == null) {
      return "Resolved: "
          + what
          + (capacity ? " no longer forecast to fill up" : " no longer forecast to breach its SLO");
    }
    String verb;
    if (crossing.byMean()) {
      verb = capacity ? " full in ~" : " breaches its SLO in ~";
    } else {
      verb = capacity ? " may be full in ~" : " may breach its SLO in ~";
    }
    return what + verb + crossing.minutes() + " min";
  }

  private static String description(Forecast forecast, Crossing crossing) {
    String threshold =
        forecast.getThreshold() == null
            ? "none"
            : String.format(
                Locale.ROOT, "%s %.4g", forecast.getThresholdSource(), forecast.getThreshold());
    String model =
        forecast.getModel()
            + (forecast.getFallbackReason() == null
                ? ""
                : " (fallback: " + forecast.getFallbackReason() + ")")
            + (forecast.getMase() == null
                ? ""
                : String.format(Locale.ROOT, ", rolling MASE %.2f", forecast.getMase()));
    if (crossing == null) {
      return "The forecast from "
          + forecast.getOrigin()
          + " stays under the threshold ("
          + threshold
          + ") for its whole horizon. Model: "
          + model
          + ".";
    }
    return String.format(
        Locale.ROOT,
        "Forecast from %s: the %s reaches the threshold (%s) at %s (forecast %.4g, 80%% interval"
            + " %.4g..%.4g). Model: %s.",
        forecast.getOrigin(),
        crossing.byMean() ? "expected value" : "80% upper bound",
        threshold,
        crossing.point().getTimestamp(),
        crossing.point().getMean(),
        crossing.point().getLo(),
        crossing.point().getHi(),
        model);
  }

  private static String noun(String signal) {
    String s = signal.toLowerCase(Locale.ROOT);
    if (s.contains("filesystem") || s.contains("disk")) {
      return "disk";
    }
    if (s.contains("memory") || s.contains("heap")) {
      return "memory";
    }
    if (s.contains("cpu")) {
      return "CPU";
    }
    if (s.contains("duration") || s.contains("latency")) {
      return "latency";
    }
    return signal;
  }

  /**
   * Where a forecast first reaches its threshold: by its mean if it does, else by its upper bound.
   *
   * @param point the first point at or over the threshold
   * @param minutes from the origin to that point, rounded up
   * @param byMean whether the mean itself reaches it
   */
  record Crossing(ForecastPoint point, long minutes, boolean byMean) {
    static Crossing of(Forecast forecast) {
      Double threshold = forecast.getThreshold();
      if (threshold == null) {
        return null;
      }
      List<ForecastPoint> points = forecast.getPoints();
      ForecastPoint byMean = null;
      ForecastPoint byHi = null;
      for (ForecastPoint p : points) {
        if (byHi == null && p.getHi() >= threshold) {
          byHi = p;
        }
        if (p.getMean() >= threshold) {
          byMean = p;
          break;
        }
      }
      ForecastPoint first = byMean != null ? byMean : byHi;
      if (first == null) {
        return null;
      }
      long millis = first.getTimestamp().toEpochMilli() - forecast.getOrigin().toEpochMilli();
      return new Crossing(first, (millis + 59_999) / 60_000, byMean != null);
    }
  }
}
