package dev.vigil.anomaly.detector;

/**
 * Maps a robust z-statistic to a calibrated score in [0,1], and back.
 *
 * <p>The statistic is a residual divided by the mean absolute residual. Production telemetry has
 * heavy tails, so the residuals are modelled by a Student t distribution with 4 degrees of freedom,
 * whose mean absolute value is exactly 1: the statistic then <em>is</em> a t(4) variate, and the
 * score {@code 2 F(|z|) - 1} is the probability that a point of the baseline falls closer to the
 * expected value than this one. A score of 0.99 is |z| = 4.60, 0.999 is 8.61, 0.9999 is 15.5. A
 * Gaussian would call 4.6 mean absolute deviations (3.7 sigma) a one-in-5,000 event: the t(4) tail
 * is the more honest fit for latency and traffic, and keeps scores comparable across series.
 */
public final class Calibration {
  private Calibration() {}

  /** {@code 2 F(u) - 1} for the t(4) distribution, in closed form; 0 for u <= 0. */
  public static double score(double u) {
    if (!(u > 0)) {
      return 0;
    }
    if (Double.isInfinite(u)) {
      return 1;
    }
    double v = u / Math.sqrt(1 + u * u / 4);
    return Math.min(1, 0.75 * v * (1 - v * v / 12));
  }

  /** The statistic whose score is {@code score}, for {@code score} in [0,1). */
  public static double critical(double score) {
    if (score < 0 || score >= 1) {
      throw new IllegalArgumentException("score must be in [0,1), got " + score);
    }
    double lo = 0;
    double hi = 1;
    while (score(hi) < score) {
      hi *= 2;
    }
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (score(mid) < score) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }
}
