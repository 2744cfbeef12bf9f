package dev.vigil.forecast.internal;

import dev.vigil.schemas.SignalType;
import dev.vigil.schemas.SignalWindow;

/**
 * The value forecast for a window of each signal type: what capacity and SLO thresholds are set on.
 * Saturation: the last value (else mean, max); latency: p95 (else p99, p90, p50, mean); traffic:
 * the rate (else the count); errors: errors / calls; log errors: the count; counters and business
 * signals: the rate (else the sum); gauges and others: the last value (else the mean).
 */
final class SignalValue {
  private SignalValue() {}

  /** The value of a window; null if it has none. */
  static Double of(SignalWindow w) {
    SignalType type = w.getType() == null ? SignalType.OTHER : w.getType();
    return switch (type) {
      case SATURATION -> first(w.getLast(), mean(w), w.getMax());
      case LATENCY -> first(w.getP95(), w.getP99(), w.getP90(), w.getP50(), mean(w));
      case TRAFFIC -> first(w.getRate(), (double) w.getCount());
      case ERRORS -> w.getCount() > 0 ? (double) w.getErrors() / w.getCount() : null;
      case LOG_ERRORS -> (double) w.getCount();
      case COUNTER, BUSINESS -> first(w.getRate(), w.getSum());
      case GAUGE, OTHER -> first(w.getLast(), mean(w));
    };
  }

  private static Double mean(SignalWindow w) {
    return w.getCount() > 0 ? w.getSum() / w.getCount() : null;
  }

  private static Double first(Double... candidates) {
    for (Double c : candidates) {
      if (c != null && Double.isFinite(c)) {
        return c;
      }
    }
    return null;
  }
}
