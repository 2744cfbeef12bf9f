package dev.vigil.anomaly;

import dev.vigil.anomaly.detector.DetectorSettings;
import dev.vigil.schemas.Severity;
import java.util.Objects;

/**
 * Validated settings of the anomaly topology.
 *
 * @param detector the detector's settings (shared with {@code vigil replay series})
 * @param threshold score at or above which a window is anomalous (default {@value
 *     #DEFAULT_THRESHOLD})
 * @param closeThreshold score below which a window counts towards ending an episode (default
 *     {@value #DEFAULT_CLOSE_THRESHOLD}); at most {@code threshold}: the gap is the hysteresis
 * @param minDurationPoints anomalous windows in a row before an episode starts (default {@value
 *     #DEFAULT_MIN_DURATION}); a window at the critical score starts one at once
 * @param closeAfterPoints quiet windows in a row before an episode ends (default {@value
 *     #DEFAULT_CLOSE_AFTER})
 * @param serviceHealth whether to emit a per-service health episode per window
 * @param healthFastStart whether a health episode starts while its window's series still arrive, as
 *     soon as their combined score is critical (else only when the next window arrives)
 */
public record AnomalySettings(
    DetectorSettings detector,
    double threshold,
    double closeThreshold,
    int minDurationPoints,
    int closeAfterPoints,
    boolean serviceHealth,
    boolean healthFastStart) {
  /** Default episode threshold: {@value}. */
  public static final double DEFAULT_THRESHOLD = 0.99;

  /** Default end threshold: {@value}. */
  public static final double DEFAULT_CLOSE_THRESHOLD = 0.95;

  /** Default minimum duration: {@value} windows. */
  public static final int DEFAULT_MIN_DURATION = 3;

  /** Default quiet windows before an end: {@value}. */
  public static final int DEFAULT_CLOSE_AFTER = 5;

  /** Score of the WARNING band: {@value}. */
  public static final double WARNING_SCORE = 0.999;

  /** Score of the CRITICAL band: {@value}. */
  public static final double CRITICAL_SCORE = 0.9999;

  /** Checks the settings. */
  public AnomalySettings {
    Objects.requireNonNull(detector, "detector");
    if (!(threshold > 0.5 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0.5,1), got " + threshold);
    }
    if (!(closeThreshold > 0 && closeThreshold <= threshold)) {
      throw new IllegalArgumentException(
          "closeThreshold must be in (0," + threshold + "], got " + closeThreshold);
    }
    if (minDurationPoints < 1 || closeAfterPoints < 1) {
      throw new IllegalArgumentException("minDurationPoints and closeAfterPoints must be >= 1");
    }
  }

  /** The defaults. */
  public static AnomalySettings defaults() {
    return new AnomalySettings(
        DetectorSettings.defaults(),
        DEFAULT_THRESHOLD,
        DEFAULT_CLOSE_THRESHOLD,
        DEFAULT_MIN_DURATION,
        DEFAULT_CLOSE_AFTER,
        true,
        true);
  }

  /** The same settings with the health fast start on or off. */
  public AnomalySettings withHealthFastStart(boolean on) {
    return new AnomalySettings(
        detector,
        threshold,
        closeThreshold,
        minDurationPoints,
        closeAfterPoints,
        serviceHealth,
        on);
  }

  /** The severity band of a score: CRITICAL, WARNING, else INFO. */
  public static Severity severity(double score) {
    if (score >= CRITICAL_SCORE) {
      return Severity.CRITICAL;
    }
    return score >= WARNING_SCORE ? Severity.WARNING : Severity.INFO;
  }
}
