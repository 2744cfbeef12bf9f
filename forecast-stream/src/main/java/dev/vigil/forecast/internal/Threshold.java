package dev.vigil.forecast.internal;

import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;
import java.util.Map;

/**
 * The upper bound a series must stay under, for predictive alerts: a configured capacity limit of
 * its signal, else the threshold of the catalog SLO its windows carry (latency and saturation: the
 * SLO's threshold; errors: the error budget {@code 1 - objective}). Traffic has none: its bad
 * direction is down.
 *
 * @param value the bound, in the units of {@link SignalValue}
 * @param source {@value #CAPACITY} or {@value #SLO}
 */
record Threshold(double value, String source) {
  static final String CAPACITY = "capacity";
  static final String SLO = "slo";

  /** The threshold of a series; null if none applies. */
  static Threshold of(String signal, SignalWindow w, Map<String, Double> capacityLimits) {
    Double limit = capacityLimits.get(signal);
    if (limit != null) {
      return new Threshold(limit, CAPACITY);
    }
    SignalType type = w.getType() == null ? SignalType.OTHER : w.getType();
    return switch (type) {
      case LATENCY, SATURATION ->
          w.getSloThreshold() == null ? null : new Threshold(w.getSloThreshold(), SLO);
      case ERRORS ->
          w.getSloObjective() == null ? null : new Threshold(1 - w.getSloObjective(), SLO);
      default -> null;
    };
  }
}
