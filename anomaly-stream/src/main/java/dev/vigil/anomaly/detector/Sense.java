package dev.vigil.anomaly.detector;

/** Which deviations of a series are bad: latency up, traffic down, a gauge either way. */
public enum Sense {
  /** Only values above the expected band are anomalous (latency, errors, saturation). */
  UP,
  /** Only values below the expected band are anomalous (traffic, business volume). */
  DOWN,
  /** Both directions are anomalous (gauges, counters, unknown signals, replayed series). */
  BOTH;

  /**
   * The part of a signed statistic that counts in this sense: its absolute value for {@link #BOTH},
   * its positive part for {@link #UP}, its negative part (as a positive number) for {@link #DOWN}.
   */
  public double badPart(double statistic) {
    return switch (this) {
      case UP -> Math.max(statistic, 0);
      case DOWN -> Math.max(-statistic, 0);
      case BOTH -> Math.abs(statistic);
    };
  }
}
