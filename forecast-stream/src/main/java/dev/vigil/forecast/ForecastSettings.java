package dev.vigil.forecast;

import dev.vigil.forecast.model.Seasonality;
import dev.vigil.forecast.sagemaker.SageMakerSettings;
import dev.vigil.schemas.SeriesKey;
import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validated settings of the forecast topology.
 *
 * @param signalTypes signal types forecast (default saturation, traffic, latency)
 * @param maxTier traffic and latency are forecast only for services of this tier or a more critical
 *     one (default {@value #DEFAULT_MAX_TIER}); other types for every tier
 * @param includedSignals signal names forecast whatever their type and tier
 * @param everyWindows a series is forecast every this many windows (default {@value
 *     #DEFAULT_EVERY})
 * @param horizon how far ahead (default 60 min), in the series' own steps
 * @param seasonMillis the seasonal period (default a day); 0 for none
 * @param capacityLimits per signal name, the value it must stay under
 * @param sageMaker the SageMaker endpoint's settings, null for the embedded model only
 */
public record ForecastSettings(
    Set<SignalType> signalTypes,
    int maxTier,
    Set<String> includedSignals,
    int everyWindows,
    Duration horizon,
    long seasonMillis,
    Map<String, Double> capacityLimits,
    SageMakerSettings sageMaker) {
  /** Default tier bound for traffic and latency: {@value}. */
  public static final int DEFAULT_MAX_TIER = 1;

  /** Default windows between forecasts: {@value}. */
  public static final int DEFAULT_EVERY = 5;

  /** Default horizon: {@value} minutes. */
  public static final int DEFAULT_HORIZON_MINUTES = 60;

  /** Default season: {@value} ms (a day). */
  public static final long DEFAULT_SEASON_MILLIS = 86_400_000L;

  /** Checks the settings. */
  public ForecastSettings {
    signalTypes = Set.copyOf(signalTypes);
    includedSignals = Set.copyOf(includedSignals);
    capacityLimits = Map.copyOf(capacityLimits);
    Objects.requireNonNull(horizon, "horizon");
    if (everyWindows < 1) {
      throw new IllegalArgumentException("everyWindows must be >= 1, got " + everyWindows);
    }
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("horizon must be positive, got " + horizon);
    }
    if (seasonMillis < 0) {
      throw new IllegalArgumentException("seasonMillis must be >= 0, got " + seasonMillis);
    }
  }

  /** The defaults: embedded model, saturation for all, traffic and latency for tier 1. */
  public static ForecastSettings defaults() {
    return new ForecastSettings(
        EnumSet.of(SignalType.SATURATION, SignalType.TRAFFIC, SignalType.LATENCY),
        DEFAULT_MAX_TIER,
        Set.of(),
        DEFAULT_EVERY,
        Duration.ofMinutes(DEFAULT_HORIZON_MINUTES),
        DEFAULT_SEASON_MILLIS,
        Map.of(),
        null);
  }

  /** The same settings with forecasts from a SageMaker endpoint. */
  public ForecastSettings withSageMaker(SageMakerSettings endpoint) {
    return new ForecastSettings(
        signalTypes,
        maxTier,
        includedSignals,
        everyWindows,
        horizon,
        seasonMillis,
        capacityLimits,
        endpoint);
  }

  /** Whether a series is forecast. */
  public boolean selects(SeriesKey key, SignalWindow w) {
    if (includedSignals.contains(key.getSignal())) {
      return true;
    }
    SignalType type = w.getType() == null ? SignalType.OTHER : w.getType();
    if (!signalTypes.contains(type)) {
      return false;
    }
    if (type == SignalType.TRAFFIC || type == SignalType.LATENCY) {
      return w.getTier() != null && w.getTier() <= maxTier;
    }
    return true;
  }

  /** The seasonal layout of a series with this step: the season when it is 2+ whole steps. */
  public Seasonality seasonality(long stepMillis) {
    if (seasonMillis > 0 && seasonMillis % stepMillis == 0 && seasonMillis / stepMillis >= 2) {
      return Seasonality.of(
          stepMillis, (int) Math.min(Integer.MAX_VALUE, seasonMillis / stepMillis));
    }
    return Seasonality.of(stepMillis);
  }

  /** Points of a forecast for a series with this step: the horizon, rounded up. */
  public int horizonSteps(long stepMillis) {
    return (int) Math.max(1, (horizon.toMillis() + stepMillis - 1) / stepMillis);
  }
}
