package dev.vigil.anomaly.detector;

/**
 * The tunable settings of {@link SeasonalDetector}; the stream and {@code vigil replay series} use
 * the same defaults.
 *
 * @param warmupPoints points a series needs before it can alert (default {@value #DEFAULT_WARMUP})
 * @param relearnAfterPoints consecutive anomalous points on one side after which the detector
 *     accepts the new level instead of alerting on it forever (default {@value #DEFAULT_RELEARN})
 * @param bandScore the score at the edge of the expected band (default {@value #DEFAULT_BAND})
 */
public record DetectorSettings(int warmupPoints, int relearnAfterPoints, double bandScore) {
  /**
   * Default warm-up: {@value} points (10 minutes of 1-minute windows); the detector widens the band
   * of a series younger than 120 points, so an early alert needs clearer evidence.
   */
  public static final int DEFAULT_WARMUP = 10;

  /** Default re-learning: {@value} points (1 hour of 1-minute windows). */
  public static final int DEFAULT_RELEARN = 60;

  /** Default band edge: score {@value} (|z| = 4.6 mean absolute deviations). */
  public static final double DEFAULT_BAND = 0.99;

  /** Checks the settings. */
  public DetectorSettings {
    if (warmupPoints < 1) {
      throw new IllegalArgumentException("warmupPoints must be >= 1, got " + warmupPoints);
    }
    if (relearnAfterPoints < 2) {
      throw new IllegalArgumentException(
          "relearnAfterPoints must be >= 2, got " + relearnAfterPoints);
    }
    if (!(bandScore > 0.5 && bandScore < 1)) {
      throw new IllegalArgumentException("bandScore must be in (0.5,1), got " + bandScore);
    }
  }

  /** The defaults. */
  public static DetectorSettings defaults() {
    return new DetectorSettings(DEFAULT_WARMUP, DEFAULT_RELEARN, DEFAULT_BAND);
  }
}
